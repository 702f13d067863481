package dev.tickeretl.cli;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.LoggingEventAware;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The CLI's slf4j binding (found through {@code META-INF/services}): every logger writes through {@link CliLog}, so
 * the command decides the level and the stream per invocation. The library modules log through slf4j-api only and
 * never see this class.
 */
public final class CliLogProvider implements SLF4JServiceProvider {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, CliLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    /** The pipeline puts run_id and ticker here; JSON lines show them. */
    private final MDCAdapter mdc = new BasicMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    /** Asks {@link CliLog} on every call, so a level set after the logger was made still applies. */
    private static final class CliLogger extends LegacyAbstractLogger implements LoggingEventAware {
        private static final long serialVersionUID = 1L;

        /**
         * The Kafka client logs a warning for every refused connection; the sink itself reports what failed in one
         * line (and in the run record), so the client's own lines below ERROR show only at DEBUG.
         */
        private final boolean chattyClient;

        CliLogger(String name) {
            this.name = name;
            this.chattyClient = name.startsWith("org.apache.kafka");
        }

        private boolean enabled(Level level) {
            if (chattyClient && level != Level.ERROR && !CliLog.enabled(Level.DEBUG)) {
                return false;
            }
            return CliLog.enabled(level);
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        /** The fluent API ({@code LOG.atInfo().addKeyValue(..)}): its fields become JSON fields. */
        @Override
        public void log(LoggingEvent event) {
            if (!enabled(event.getLevel())) {
                return;
            }
            String message = MessageFormatter.basicArrayFormat(event.getMessage(), event.getArgumentArray());
            CliLog.write(event.getLevel(), name, message == null ? "null" : message, event.getThrowable(),
                    event.getKeyValuePairs());
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable thrown) {
            if (!enabled(level)) {
                return;
            }
            String message = MessageFormatter.basicArrayFormat(pattern, arguments);
            CliLog.write(level, name, message == null ? "null" : message, thrown);
        }
    }
}
