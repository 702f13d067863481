package dev.tickeretl.testkit.kafka;

import dev.tickeretl.internal.DaemonThreads;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker process {@link KafkaBroker} starts: formats the KRaft log directory on the first start (as
 * {@code kafka-storage.sh format} would), then runs the broker ({@code kafka.Kafka}). One JVM instead of two saves a
 * second or two per broker. The broker classes are reached by reflection so that the testkit compiles without them.
 *
 * <p>Arguments: {@code <server.properties> <log dir> <cluster id>}.
 */
public final class KafkaBrokerMain {

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        exitWhenTheParentIsGone();
        String properties = args[0];
        Path logDir = Path.of(args[1]);
        String clusterId = args[2];
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            int status = (int) invoke("kafka.tools.StorageTool", "execute",
                    new Class<?>[] {String[].class, java.io.PrintStream.class},
                    new String[] {"format", "-t", clusterId, "-c", properties}, System.out);
            if (status != 0) {
                throw new IOException("formatting " + logDir + " failed with status " + status);
            }
        }
        invoke("kafka.Kafka", "main", new Class<?>[] {String[].class}, (Object) new String[] {properties});
    }

    /**
     * When the JVM that started this one ends (even killed), the broker goes too, so that no test run leaves a
     * broker behind. (Not by watching standard input for its end: {@code Process.destroy()} closes that pipe while
     * the broker is still shutting down cleanly.)
     */
    private static void exitWhenTheParentIsGone() {
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        if (parent == null) {
            return;
        }
        DaemonThreads.thread("parent-watcher", () -> {
            while (parent.isAlive()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(3);
        }).start();
    }

    private static Object invoke(String type, String method, Class<?>[] parameters, Object... args)
            throws Exception {
        try {
            return Class.forName(type).getMethod(method, parameters).invoke(null, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
