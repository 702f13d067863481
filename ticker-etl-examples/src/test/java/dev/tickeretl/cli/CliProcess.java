package dev.tickeretl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in its own JVM, as the launcher does, and captures standard output and error apart. */
final class CliProcess {

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private CliProcess() {
    }

    /**
     * Runs {@code args} with {@code env} added to (or, for a null value, removed from) this JVM's environment; the
     * API key variables are removed unless given. Output goes to files in {@code dir}.
     */
    static Result run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        try (Running p = start(dir, env, args)) {
            if (!p.process.waitFor(120, TimeUnit.SECONDS)) {
                p.process.destroyForcibly();
                throw new AssertionError("the CLI did not end within 120 s: " + p.err());
            }
            return p.result();
        }
    }

    /** Starts {@code args} as {@link #run} does, without waiting: for a command that runs until stopped. */
    static Running start(Path dir, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m",
                // The test class path also holds slf4j-simple: the CLI's own binding, as in its jar, without a word.
                "-Dslf4j.provider=" + CliLogProvider.class.getName(), "-Dslf4j.internal.verbosity=WARN",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("POLYGON_API_KEY");
        pb.environment().remove("MASSIVE_API_KEY");
        pb.environment().remove(CliLog.LEVEL_VARIABLE);
        env.forEach((k, v) -> {
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        long n = System.nanoTime();
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        return new Running(pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
    }

    /** A CLI process under way; closing it stops it as {@link #stop} does if it still runs. */
    static final class Running implements AutoCloseable {
        final Process process;
        private final Path out;
        private final Path err;

        private Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Standard error so far. */
        String err() throws IOException {
            return Files.readString(err);
        }

        /** SIGTERM (as a service manager stops it: the CLI stops the run and flushes), then waits at most 30 s. */
        Result stop() throws IOException, InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the CLI did not stop within 30 s of SIGTERM: " + err());
            }
            return result();
        }

        private Result result() throws IOException {
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        }

        @Override
        public void close() throws IOException {
            if (process.isAlive()) {
                try {
                    stop();
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
