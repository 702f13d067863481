package dev.tickeretl.polygon;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log lines written while a test ran. slf4j-simple sends every line of the test JVM, at DEBUG for
 * {@code dev.tickeretl}, to one file (simplelogger.properties); this reads what was appended since {@link #start()}.
 */
final class LogCapture {

    static final Path FILE = Path.of("target", "polygon-tests.log");

    private final long from;

    private LogCapture(long from) {
        this.from = from;
    }

    static LogCapture start() throws IOException {
        // slf4j-simple truncates the file when it starts up: start it before measuring.
        LoggerFactory.getLogger(LogCapture.class).debug("log capture starts");
        return new LogCapture(Files.exists(FILE) ? Files.size(FILE) : 0);
    }

    String text() throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(FILE.toFile(), "r")) {
            byte[] appended = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(appended);
            return new String(appended, StandardCharsets.UTF_8);
        }
    }

    List<String> lines() throws IOException {
        return Arrays.stream(text().split("\n")).filter(l -> !l.isBlank()).toList();
    }

    /** Lines at {@code level} (ERROR, WARN, INFO, DEBUG) as slf4j-simple writes them: "... [thread] LEVEL ...". */
    List<String> at(String level) throws IOException {
        return lines().stream().filter(l -> l.contains("] " + level + " ")).toList();
    }
}
