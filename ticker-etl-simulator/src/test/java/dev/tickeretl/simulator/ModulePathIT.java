package dev.tickeretl.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jars on a module path, as an application module sees them: the core is the named module
 * {@code dev.tickeretl.core} and exports only its API and SPI; the simulator and the Polygon source are automatic
 * modules by their Automatic-Module-Name, found through the core's {@code uses}; {@code dev.tickeretl.internal} is
 * out of the application's reach at compile time and by reflection.
 */
class ModulePathIT {

    private static final String APP_MODULE = "module dev.example.app { requires dev.tickeretl.core; }\n";

    private static final String APP = """
            package dev.example.app;

            import dev.tickeretl.RunRecord;
            import dev.tickeretl.Store;
            import dev.tickeretl.TickerEtl;
            import java.lang.reflect.InaccessibleObjectException;
            import java.lang.reflect.Method;
            import java.net.URI;
            import java.time.LocalDate;
            import java.util.Map;

            public class Main {
                public static void main(String[] args) throws Exception {
                    LocalDate from = LocalDate.of(2025, 1, 2);
                    LocalDate to = LocalDate.of(2025, 1, 31);
                    URI store = URI.create("memory:app");
                    RunRecord run = TickerEtl.builder().tickers("AAPL").from(from).to(to).source("simulator")
                            .store(store).shutdownHook(false).build().run();
                    try (Store read = Store.open(store)) {
                        System.out.println("run " + run.status() + " " + read.bars("AAPL", from, to).size()
                                + " runs=" + read.runs().size());
                    }
                    System.out.println("core " + TickerEtl.class.getModule().getName());
                    ModuleLayer.boot().findModule("dev.tickeretl.simulator").ifPresent(m -> System.out.println(
                            "simulator " + m.getName() + " automatic=" + m.getDescriptor().isAutomatic()));

                    Method named = Class.forName("dev.tickeretl.internal.DaemonThreads")
                            .getMethod("named", String.class);
                    try {
                        named.invoke(null, "x");
                        System.out.println("invoke allowed");
                    } catch (IllegalAccessException e) {
                        System.out.println("invoke refused");
                    }
                    try {
                        named.setAccessible(true);
                        System.out.println("setAccessible allowed");
                    } catch (InaccessibleObjectException e) {
                        System.out.println("setAccessible refused");
                    }
                }
            }
            """;

    private static final String SNEAKY_MODULE = "module dev.example.sneaky { requires dev.tickeretl.core; }\n";

    private static final String SNEAKY = """
            package dev.example.sneaky;

            import dev.tickeretl.internal.DaemonThreads;

            public class Sneaky {
                public static void main(String[] args) {
                    DaemonThreads.named("x");
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void anApplicationModuleRunsTheSimulatorThroughTheApiAndCannotReachInternals() throws IOException {
        List<Path> modulePath = BuiltJars.simulatorAndRuntimeDependencies();
        Path classes = dir.resolve("app-classes");
        Compiled app = compile("app", APP_MODULE, "dev/example/app/Main.java", APP, modulePath, classes);
        assertThat(app.ok()).as(app.diagnostics()).isTrue();

        List<Path> withApp = new ArrayList<>(modulePath);
        withApp.add(classes);
        // The provider jars are automatic modules, which name no dependencies: ALL-MODULE-PATH resolves theirs
        // (Failsafe for the Polygon source), as any application with automatic modules does.
        BuiltJars.Output run = BuiltJars.run(List.of(BuiltJars.java().toString(), "-Xmx256m",
                "--module-path", BuiltJars.path(withApp), "--add-modules", "ALL-MODULE-PATH",
                "-m", "dev.example.app/dev.example.app.Main"), dir, Duration.ofMinutes(2));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out().lines().toList()).containsExactly(
                "run SUCCEEDED 20 runs=1",
                "core dev.tickeretl.core",
                "simulator dev.tickeretl.simulator automatic=true",
                "invoke refused",
                "setAccessible refused");
    }

    @Test
    void anApplicationModuleThatImportsInternalsDoesNotCompile() {
        List<Path> modulePath = BuiltJars.simulatorAndRuntimeDependencies();

        Compiled sneaky = compile("sneaky", SNEAKY_MODULE, "dev/example/sneaky/Sneaky.java", SNEAKY, modulePath,
                dir.resolve("sneaky-classes"));

        assertThat(sneaky.ok()).isFalse();
        assertThat(sneaky.diagnostics()).contains("package dev.tickeretl.internal is not visible")
                .contains("does not export it to module dev.example.sneaky");
    }

    private record Compiled(boolean ok, String diagnostics) {
    }

    private Compiled compile(String name, String moduleInfo, String mainPath, String main, List<Path> modulePath,
                             Path output) {
        try {
            Path sources = dir.resolve(name + "-src");
            Files.createDirectories(sources.resolve(mainPath).getParent());
            Path info = Files.writeString(sources.resolve("module-info.java"), moduleInfo);
            Path file = Files.writeString(sources.resolve(mainPath), main);
            Files.createDirectories(output);
            // In this JVM javac would default its class path to the test's own, where the core sits unnamed.
            Path emptyClassPath = Files.createDirectories(dir.resolve("empty-class-path"));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            assertThat(javac).as("a JDK runs the tests").isNotNull();
            StringWriter diagnostics = new StringWriter();
            int exit = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    diagnostics.write(b);
                }
            }, true), "--release", "17", "--class-path", emptyClassPath.toString(),
                    "--module-path", BuiltJars.path(modulePath), "-d", output.toString(),
                    info.toString(), file.toString());
            return new Compiled(exit == 0, diagnostics.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
