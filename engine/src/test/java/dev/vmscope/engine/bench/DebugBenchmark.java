package dev.vmscope.engine.bench;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Debugger costs, measured in one run: pause latency on a guest spinning in {@code jmp $} (p50/p99 over
 * many pauses), and captured exits/s on samples/ioloop with breakpoints armed (that never match) versus
 * none. Run with bench/run.sh debug.
 */
public final class DebugBenchmark {
    private DebugBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int pauses = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        long exits = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize();
        cKickLatency(root, pauses);
        pauseLatency(pauses);
        breakpointCost(root.resolve("samples/ioloop"), exits, 5);
    }

    /** The platform floor: the same kick from C (bench/c/kick_latency.c), measured in this run. */
    private static void cKickLatency(Path root, int pauses) throws Exception {
        Path src = root.resolve("bench/c/kick_latency.c");
        Path exe = root.resolve("engine/target/kick_latency");
        try {
            Process cc = new ProcessBuilder("cc", "-O2", "-o", exe.toString(), src.toString(), "-lpthread")
                    .inheritIO().start();
            if (cc.waitFor() != 0) {
                System.out.println("C kick baseline skipped: compiling " + src + " failed");
                return;
            }
        } catch (java.io.IOException e) {
            System.out.println("C kick baseline skipped: no C compiler");
            return;
        }
        Process p = new ProcessBuilder(exe.toString(), String.valueOf(pauses)).inheritIO().start();
        p.waitFor();
    }

    private static void pauseLatency(int pauses) throws Exception {
        MachineConfig c = MachineConfig.builder("spin", new byte[]{(byte) 0xEB, (byte) 0xFE}).build();
        double[] ms = new double[pauses];
        try (DebugSession s = DebugSession.launch(c)) {
            for (int i = -20; i < pauses; i++) {   // the first 20 warm up
                s.resume();
                Thread.sleep(2);
                long t0 = System.nanoTime();
                s.pause();
                while (s.state().mode() != SessionState.Mode.PAUSED) {
                    Thread.onSpinWait();
                }
                if (i >= 0) {
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "vmscope pause latency (pause() to session PAUSED), %d pauses: p50 %.3f ms, p99 %.3f ms,"
                + " max %.3f ms (target p99 <= 10 ms)%n", pauses, ms[pauses / 2], ms[(int) (pauses * 0.99)],
                ms[pauses - 1]);
    }

    private static void breakpointCost(Path ioloop, long exits, int rounds) throws Exception {
        double[] none = new double[rounds];
        double[] armed = new double[rounds];
        run(ioloop, Math.min(exits, 300_000), false);   // warm-up
        run(ioloop, Math.min(exits, 300_000), true);
        for (int r = 0; r < rounds; r++) {
            none[r] = run(ioloop, exits, false);
            armed[r] = run(ioloop, exits, true);
        }
        Arrays.sort(none);
        Arrays.sort(armed);
        double n = none[rounds / 2];
        double a = armed[rounds / 2];
        System.out.printf(Locale.ROOT, "ioloop %,d exits, median of %d: no breakpoints %,.0f exits/s; 4 exit"
                + " breakpoints armed (never matching) %,.0f exits/s; ratio %.3f%n", exits, rounds, n, a, a / n);
    }

    private static double run(Path ioloop, long exits, boolean armed) throws Exception {
        MachineConfig c = GuestSpec.resolve(ioloop).build();
        try (DebugSession s = DebugSession.launch(c)) {
            s.writePhysical(c.load() + 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt((int) (exits - 1)).array());
            if (armed) {
                s.addExitBreakpoint("IO port=0x3f8");
                s.addExitBreakpoint("IO port=0x80 in");
                s.addExitBreakpoint("MMIO");
                s.addExitBreakpoint("IO rip=0x0-0x10");
            }
            long t0 = System.nanoTime();
            s.resume();
            SessionState st = s.awaitStop(10, TimeUnit.MINUTES);
            double secs = (System.nanoTime() - t0) / 1e9;
            if (st == null || st.mode() != SessionState.Mode.FINISHED || s.exits().size() != exits) {
                throw new IllegalStateException("ioloop did not finish as expected: " + st);
            }
            return exits / secs;
        }
    }
}
