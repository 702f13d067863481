package dev.tickeretl.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Debian packages that tests need (a browser, a monitoring server): installed with apt-get on first use, because
 * a fresh CI machine starts without them. A test calls {@code DebianPackages.require("chromium", "/usr/bin/chromium")}
 * and gets the binary's path, or fails with a message that says what to install by hand and why the automatic
 * install did not work.
 *
 * <p>Tests run the binaries themselves, on loopback ports of their own: a package's service (Debian's
 * {@code prometheus} starts one on port 9090) is not started by the install. Where the machine has no
 * {@value #POLICY_RC_D} (Debian's switch that tells maintainer scripts not to start services; container images
 * ship one), one that denies every start is in place for the install and removed after it.
 */
public final class DebianPackages {

    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]+");
    private static final long UPDATE_MINUTES = 5;
    private static final long INSTALL_MINUTES = 10;
    /** Several test JVMs may install at once; apt waits this long for another's lock instead of failing. */
    private static final String LOCK_WAIT_SECONDS = "600";

    /** Debian policy-rc.d(8): exit code 101 ("action forbidden") keeps invoke-rc.d from starting services. */
    static final String POLICY_RC_D = "/usr/sbin/policy-rc.d";
    private static final String PLACE_POLICY = "printf '#!/bin/sh\\nexit 101\\n' > " + POLICY_RC_D + " && chmod 755 "
            + POLICY_RC_D;

    private static boolean updated;

    private DebianPackages() {
    }

    /**
     * The executable {@code binary}, installing {@code packageName} first when it is missing.
     *
     * @throws AssertionError naming the package and the apt-get output when the binary is still missing
     */
    public static synchronized Path require(String packageName, String binary) {
        if (!PACKAGE.matcher(packageName).matches()) {
            throw new IllegalArgumentException("packageName: '" + packageName + "' is not a Debian package name");
        }
        Path path = Path.of(binary);
        if (Files.isExecutable(path)) {
            return path;
        }
        Path aptGet = Path.of("/usr/bin/apt-get");
        if (!Files.isExecutable(aptGet)) {
            throw new AssertionError(binary + " is missing and this machine has no apt-get to install Debian"
                    + " package '" + packageName + "'; install it by hand");
        }
        List<String> sudo = isRoot() ? List.of() : List.of("sudo", "-n");
        if (!updated) {
            run(concat(sudo, List.of(aptGet.toString(), "-o", "DPkg::Lock::Timeout=" + LOCK_WAIT_SECONDS,
                    "update")), UPDATE_MINUTES, packageName, binary);
            updated = true;
        }
        boolean placedPolicy = !Files.exists(Path.of(POLICY_RC_D));
        if (placedPolicy) {
            run(concat(sudo, List.of("/bin/sh", "-c", PLACE_POLICY)), 1, packageName, binary);
        }
        try {
            run(concat(sudo, List.of(aptGet.toString(), "-o", "DPkg::Lock::Timeout=" + LOCK_WAIT_SECONDS, "install",
                    "-y", "--no-install-recommends", packageName)), INSTALL_MINUTES, packageName, binary);
        } finally {
            if (placedPolicy) {
                run(concat(sudo, List.of("rm", "-f", POLICY_RC_D)), 1, packageName, binary);
            }
        }
        if (!Files.isExecutable(path)) {
            throw new AssertionError("apt-get installed '" + packageName + "' but " + binary + " is still missing");
        }
        return path;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static void run(List<String> command, long minutes, String packageName, String binary) {
        Path log = null;
        try {
            log = Files.createTempFile("apt-get-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                            "/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw failure(packageName, binary, String.join(" ", command) + " took longer than " + minutes
                        + " minutes", log);
            }
            if (p.exitValue() != 0) {
                throw failure(packageName, binary, String.join(" ", command) + " exited " + p.exitValue(), log);
            }
        } catch (IOException e) {
            throw new AssertionError(binary + " is missing and '" + String.join(" ", command) + "' could not run: "
                    + e.getMessage() + "; install Debian package '" + packageName + "' by hand", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while installing '" + packageName + "'", e);
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static AssertionError failure(String packageName, String binary, String what, Path log) {
        String tail;
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            tail = "(no output: " + e.getMessage() + ")";
        }
        return new AssertionError(binary + " is missing and installing Debian package '" + packageName
                + "' failed: " + what + ". Install it by hand (apt-get install -y " + packageName + "). Last output:\n"
                + tail);
    }
}
