package dev.tickeretl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** One daemon thread factory for the whole project; the main code of every module makes its threads through it. */
class DaemonThreadsTest {

    /** The project's root, seen from this module's directory (where Surefire runs). */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern POOL = Pattern.compile(
            "(Executors\\.new\\w+|new ThreadPoolExecutor|new ScheduledThreadPoolExecutor)\\(([^;]*)\\);");

    @Test
    void factoryThreadsAreDaemonsNamedPrefixAndCount() {
        ThreadFactory factory = DaemonThreads.named("pool");
        Thread first = factory.newThread(() -> { });
        Thread second = factory.newThread(() -> { });

        assertThat(first.isDaemon()).isTrue();
        assertThat(second.isDaemon()).isTrue();
        assertThat(List.of(first.getName(), second.getName())).containsExactly("pool-1", "pool-2");
        Thread single = DaemonThreads.thread("watchdog", () -> { });
        assertThat(single.isDaemon()).isTrue();
        assertThat(single.getName()).isEqualTo("watchdog");
        assertThat(single.getState()).as("not started").isEqualTo(Thread.State.NEW);
    }

    @Test
    void noMainCodeOutsideDaemonThreadsMakesADaemonThreadOrAPoolOfItsOwn() {
        List<Path> sources = mainSources();
        assertThat(sources).as("main sources under " + ROOT).hasSizeGreaterThan(100);

        List<String> offenders = new ArrayList<>();
        for (Path file : sources) {
            if (file.getFileName().toString().equals("DaemonThreads.java")) {
                continue;
            }
            String code = read(file);
            String where = ROOT.relativize(file).toString();
            if (code.contains("setDaemon(")) {
                offenders.add(where + ": setDaemon outside DaemonThreads");
            }
            // A pool's threads come from DaemonThreads; the JDK's default factory makes non-daemon threads.
            Matcher pool = POOL.matcher(code);
            while (pool.find()) {
                if (!pool.group(2).contains("DaemonThreads.")) {
                    offenders.add(where + ": " + pool.group(1) + " without a DaemonThreads factory");
                }
            }
            // A plain Thread only where it must not be a daemon: shutdown hooks, and a run's own thread.
            if (code.contains("new Thread(") && !code.contains("addShutdownHook(")
                    && !where.endsWith("dev/tickeretl/RunHandle.java")) {
                offenders.add(where + ": new Thread outside DaemonThreads");
            }
        }
        assertThat(offenders).isEmpty();
    }

    private static List<Path> mainSources() {
        try (Stream<Path> modules = Files.list(ROOT)) {
            List<Path> files = new ArrayList<>();
            for (Path module : modules.filter(p -> p.getFileName().toString().startsWith("ticker-etl-")).toList()) {
                Path main = module.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> walk = Files.walk(main)) {
                        walk.filter(p -> p.toString().endsWith(".java")).forEach(files::add);
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
