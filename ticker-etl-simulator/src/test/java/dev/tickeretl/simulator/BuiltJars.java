package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The jars {@code package} built, for tests that start a JVM on them: this module's jar and its runtime dependencies
 * as Maven resolved them (written by the dependency plugin before the integration tests), and a way to run a JVM.
 */
final class BuiltJars {

    private BuiltJars() {
    }

    /** The simulator's jar, then every runtime dependency: what an application embedding the simulator needs. */
    static List<Path> simulatorAndRuntimeDependencies() {
        Path jar = Path.of(required("ticker-etl.module-jar"));
        Path classpathFile = Path.of(required("ticker-etl.runtime-classpath"));
        assertThat(jar).as("built by the package phase").isRegularFile();
        assertThat(classpathFile).as("written by the dependency plugin in pre-integration-test").isRegularFile();
        List<Path> jars = new ArrayList<>();
        jars.add(jar);
        try {
            for (String entry : Files.readString(classpathFile).strip().split(java.io.File.pathSeparator)) {
                jars.add(Path.of(entry));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : jars) {
            assertThat(p).as("every entry is a built jar, not a classes directory").isRegularFile();
        }
        return jars;
    }

    static String path(List<Path> entries) {
        return String.join(java.io.File.pathSeparator, entries.stream().map(Path::toString).toList());
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** What a finished JVM printed. */
    record Output(int exit, String out, String err) {
    }

    /** Runs {@code command} in {@code dir} and waits at most {@code limit} for it. */
    static Output run(List<String> command, Path dir, Duration limit) {
        try {
            Path out = dir.resolve("stdout.txt");
            Path err = dir.resolve("stderr.txt");
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().remove("CLASSPATH"); // the command names every jar the JVM may see
            Process process = builder.start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("no exit within " + limit + ": " + command + "\n" + Files.readString(err));
            }
            return new Output(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertThat(value).as("system property " + property + " (set by failsafe in this module's pom)").isNotBlank();
        return value;
    }
}
