package dev.tickeretl.cli;

import dev.tickeretl.RunHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGINT and SIGTERM stop a run cleanly instead of ending the JVM: the run writes what it fetched, commits, records
 * itself, and the command exits with its own code (a stream: 0). A second signal while stopping ends the process at
 * once. Installed only by the real command line ({@link Main#main}), never inside a host JVM such as a test run.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported, present in every JDK) is reached by reflection so that the
 * build stays free of "internal proprietary API" warnings; where it is missing, the library's shutdown hook still
 * records the run, and the exit code is the JVM's (130 / 143).
 */
final class Signals {

    private static volatile boolean enabled;

    private Signals() {
    }

    /** Called by {@link Main#main}: this JVM is the command line itself. */
    static void enable() {
        enabled = true;
    }

    /** Routes SIGINT and SIGTERM to {@code handle}, when enabled. */
    static void stopOnSignal(RunHandle handle) {
        if (!enabled) {
            return;
        }
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method install = signalClass.getMethod("handle", signalClass, handlerClass);
            Method name = signalClass.getMethod("getName");
            Method number = signalClass.getMethod("getNumber");
            boolean[] stopping = {false};
            Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> {
                        if (!method.getName().equals("handle")) {
                            return method.getName().equals("toString") ? "ticker-etl stop handler" : null;
                        }
                        if (stopping[0]) {
                            Runtime.getRuntime().halt(128 + (int) number.invoke(args[0]));
                        }
                        stopping[0] = true;
                        System.err.println("ticker-etl: SIG" + name.invoke(args[0]) + ": stopping; storing what was"
                                + " fetched (send it again to quit at once)");
                        handle.stop();
                        return null;
                    });
            for (String signal : new String[] {"INT", "TERM"}) {
                install.invoke(null, signalClass.getConstructor(String.class).newInstance(signal), handler);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // No sun.misc.Signal here: the JVM's shutdown hook stops the run cleanly instead.
        }
    }
}
