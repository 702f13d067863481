package dev.tickeretl.cli;

import dev.tickeretl.Store;
import dev.tickeretl.server.BarServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the store read-only over HTTP: /v1/bars, /v1/latest, /v1/runs, /v1/stream and a chart"
                + " page at /. Runs until Ctrl-C or SIGTERM. Needs no API key."})
final class ServeCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 exposes the store to the"
                    + " network.")
    String bind;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Released by the shutdown hook (SIGINT/SIGTERM); tests interrupt the thread instead. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store s = Store.open(store.uri(), store.options());
             BarServer server = BarServer.builder(s).port(port).bind(bind).start()) {
            Thread hook = new Thread(stopped::countDown, "ticker-etl-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("serving " + s.uri() + " read-only on " + server.uri() + " (Ctrl-C stops)");
            out.flush();
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is what woke us
                }
            }
        }
        return Main.EXIT_OK;
    }
}
