package dev.tickeretl.storage.fs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Holds a {@link PartitionLock} in its own JVM until told to let go, for tests of waiting on another process.
 *
 * <pre>
 * java -cp TEST_CLASSPATH dev.tickeretl.storage.fs.LockHolderProcess LOCK_FILE
 *     takes the lock, prints "locked", releases it when a line (or end of input) arrives, prints "released"
 * </pre>
 */
public final class LockHolderProcess {

    private LockHolderProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (PartitionLock lock = PartitionLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        System.out.println("released");
        System.out.flush();
    }
}
