package dev.vmscope.app.bench;

import dev.vmscope.app.cli.DebugConsole;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.gdb.GdbServer;
import dev.vmscope.engine.machine.GuestSpec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Single-steps per second on samples/spin, three ways in one run, rounds interleaved so load hits all alike:
 * gdb's {@code stepi N} through vmscope's stub, the same through QEMU's gdb stub on the same image (where
 * {@code qemu-system-x86_64} is installed; KVM, else TCG), and vmscope's own console {@code stepi N}.
 * Usage: GdbBenchmark STEPS ROUNDS SAMPLES_DIR.
 */
public final class GdbBenchmark {
    private GdbBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path spin = Path.of(args.length > 2 ? args[2] : "samples").resolve("spin");
        String qemu = onPath("qemu-system-x86_64") ? accel(spin) : null;
        System.out.printf("single-steps/s on samples/spin, %d steps a round, %d rounds%s%n", steps, rounds,
                qemu == null ? " (qemu-system-x86_64 not installed: no QEMU column)" : ", QEMU with -accel " + qemu);
        List<Double> viaGdb = new ArrayList<>();
        List<Double> viaQemu = new ArrayList<>();
        List<Double> console = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            viaGdb.add(vmscopeThroughGdb(spin, steps));
            if (qemu != null) {
                viaQemu.add(qemuThroughGdb(spin, steps, qemu));
            }
            console.add(vmscopeConsole(spin, steps));
            System.out.printf("round %d: gdb→vmscope %.0f  gdb→QEMU %s  vmscope console %.0f%n", r + 1,
                    viaGdb.get(r), qemu == null ? "-" : String.format("%.0f", viaQemu.get(r)), console.get(r));
        }
        double g = median(viaGdb);
        double c = median(console);
        System.out.printf("median: gdb→vmscope %.0f steps/s, vmscope console %.0f steps/s", g, c);
        if (qemu != null) {
            double q = median(viaQemu);
            System.out.printf(", gdb→QEMU (%s) %.0f steps/s; vmscope/QEMU = %.2f", qemu, q, g / q);
        }
        System.out.println();
    }

    private static double vmscopeThroughGdb(Path spin, int steps) throws Exception {
        try (DebugSession s = DebugSession.launch(GuestSpec.resolve(spin).build());
             GdbServer g = GdbServer.live(s, "127.0.0.1:0", line -> { })) {
            return gdbRate(g.port(), steps, List.of());
        }
    }

    private static double qemuThroughGdb(Path spin, int steps, String accel) throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Process q = new ProcessBuilder("qemu-system-x86_64", "-S", "-gdb", "tcp:127.0.0.1:" + port, "-display", "none",
                "-nodefaults", "-m", "16", "-accel", accel, "-device", "loader,file="
                + spin.resolve("spin.bin").toAbsolutePath() + ",addr=0x1000").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitForPort(port);
            // QEMU starts at the reset vector: put CS:IP where vmscope's loader starts spin (0000:1000)
            return gdbRate(port, steps, List.of("set $cs = 0", "set $pc = 0x1000"));
        } finally {
            q.destroy();
            q.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                new java.net.Socket("127.0.0.1", port).close();
                return;   // QEMU's stub takes a probe and waits for the next client
            } catch (java.io.IOException e) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("QEMU's gdb stub did not open port " + port);
    }

    /** gdb's own {@code stepi N}, timed inside gdb (connection set-up excluded). */
    private static double gdbRate(int port, int steps, List<String> setup) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "target remote 127.0.0.1:" + port));
        for (String s : setup) {
            cmd.add("-ex");
            cmd.add(s);
        }
        cmd.addAll(List.of("-ex", "stepi 20", "-ex", String.format("python import time; t = time.perf_counter();"
                + " gdb.execute('stepi %d', to_string=True); print('RATE %%f' %% (%d / (time.perf_counter() - t)))",
                steps, steps), "-ex", "kill"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("RATE ([0-9.]+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("gdb printed no rate:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** vmscope's console {@code stepi N}: each step reported and disassembled, as a user sees it. */
    private static double vmscopeConsole(Path spin, int steps) throws Exception {
        try (DebugSession s = DebugSession.launch(GuestSpec.resolve(spin).build())) {
            DebugConsole c = new DebugConsole(s, new PrintWriter(Writer.nullWriter()), false);
            c.execute("stepi 20");
            long t0 = System.nanoTime();
            c.execute("stepi " + steps);
            return steps / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static String accel(Path spin) {
        return Files.isWritable(Path.of("/dev/kvm")) ? "kvm" : "tcg";
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
