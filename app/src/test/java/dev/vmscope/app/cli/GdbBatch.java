package dev.vmscope.app.cli;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real gdb in batch mode ({@code gdb -nx -batch -ex …}) against a port: Debian's gdb, which CI installs.
 * Tests skip with the reason printed when it is missing, and fail instead under VMSCOPE_REQUIRE_KVM=1.
 */
public final class GdbBatch {
    private final Process process;
    private final StringBuilder out = new StringBuilder();
    private final Thread reader;

    private GdbBatch(Process p) {
        this.process = p;
        this.reader = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = p.getInputStream().read(buf)) > 0; ) {
                    synchronized (out) {
                        out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                        out.notifyAll();
                    }
                }
            } catch (IOException e) {
                // gone
            }
        }, "gdb-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static void requireGdb() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= new File(dir, "gdb").canExecute();
        }
        if (!found && "1".equals(System.getenv("VMSCOPE_REQUIRE_KVM"))) {
            throw new AssertionError("VMSCOPE_REQUIRE_KVM=1 but gdb is not installed (CI installs Debian's gdb)");
        }
        if (!found) {
            System.out.println("gdb test skipped: gdb is not installed");
        }
        Assumptions.assumeTrue(found, "gdb test skipped: gdb is not installed");
    }

    /** Starts gdb, connected to {@code port}, running {@code commands} in order, then quitting (detach). */
    public static GdbBatch start(int port, String... commands) throws IOException {
        requireGdb();
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set pagination off",
                "-ex", "set confirm off", "-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        return new GdbBatch(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** Runs to the end (90 s at most) and returns everything gdb printed. */
    public static String run(int port, String... commands) throws Exception {
        return start(port, commands).finish();
    }

    public String finish() throws InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            throw new AssertionError("gdb did not finish in 90 s:\n" + text());
        }
        reader.join(5000);
        return text();
    }

    /** Waits (60 s at most) until gdb has printed {@code text} {@code times} times. */
    void await(String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (out) {
            while (count(out.toString(), text) < times) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    throw new AssertionError("gdb never printed '" + text + "' " + times + "x:\n" + out);
                }
                TimeUnit.NANOSECONDS.timedWait(out, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    private static int count(String s, String t) {
        int n = 0;
        for (int i = s.indexOf(t); i >= 0; i = s.indexOf(t, i + 1)) {
            n++;
        }
        return n;
    }

    String text() {
        synchronized (out) {
            return out.toString();
        }
    }

    /** Ctrl-C, as a terminal sends it: gdb passes it on to the target as the interrupt byte. */
    void interrupt() throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
    }
}
