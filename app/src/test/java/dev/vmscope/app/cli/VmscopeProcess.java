package dev.vmscope.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vmscope as a user starts it, in a process of its own (the test's classpath, {@code dev.vmscope.app.Main}),
 * with stdin kept open for console commands and every output line collected.
 */
final class VmscopeProcess implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new ArrayList<>();
    private boolean collecting = true;

    VmscopeProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "dev.vmscope.app.Main"));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        Thread t = new Thread(this::collect, "vmscope-process-output");
        t.setDaemon(true);
        t.start();
    }

    private void collect() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(l);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // process gone
        }
        synchronized (lines) {
            collecting = false;
            lines.notifyAll();
        }
    }

    /** Waits (60 s at most) for an output line matching {@code regex} from line {@code from} on; its matcher. */
    Matcher await(String regex, int from) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (lines) {
            while (true) {
                for (int i = from; i < lines.size(); i++) {
                    Matcher m = p.matcher(lines.get(i));
                    if (m.find()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive() && from >= lines.size()) {
                    throw new AssertionError("no line matching " + regex + " in:\n" + String.join("\n", lines));
                }
                TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }
    }

    Matcher await(String regex) throws InterruptedException {
        return await(regex, 0);
    }

    int lineCount() {
        synchronized (lines) {
            return lines.size();
        }
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    /** The port a {@code --gdb 127.0.0.1:0} session listens on. */
    int gdbPort() throws InterruptedException {
        return Integer.parseInt(await("gdb: listening on 127\\.0\\.0\\.1:(\\d+)").group(1));
    }

    void command(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** Sends SIGTERM (as {@code kill} does) and returns the exit code, waiting 60 s at most. */
    int terminate() throws InterruptedException {
        process.toHandle().destroy();   // Process.destroy would close our end of the output pipe too
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("vmscope outlived SIGTERM by 60 s:\n" + output());
        }
        synchronized (lines) {   // the collector reads to the end of the output: wait for it
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (collecting && System.nanoTime() < deadline) {
                lines.wait(200);
            }
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            command("quit");
            stdin.close();
        } catch (IOException e) {
            // already ended
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
