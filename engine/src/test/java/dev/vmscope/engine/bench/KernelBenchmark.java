package dev.vmscope.engine.bench;

import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.kernel.KernelTracer;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.Outcome;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The cost of capturing KVM's tracepoints: samples/ioloop with kernel events off and on, interleaved in one
 * run (so load hits both alike), with the default per-CPU buffer. Prints both rates (medians), their ratio
 * (target >= 0.75), kernel events per exit and events lost (target 0). The timed span includes draining the
 * kernel buffers at the end of the run. Run with {@code bench/run.sh kernel [EXITS] [ROUNDS]}.
 */
public final class KernelBenchmark {
    private KernelBenchmark() {
    }

    private record Run(double rate, long kernelEvents, long lost, String note) {
    }

    public static void main(String[] args) throws Exception {
        long exits = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path sample = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize().resolve("samples/ioloop");
        System.out.printf("ioloop, %,d exits per run, %d rounds, kernel events off and on interleaved%n", exits, rounds);
        run(sample, Math.min(exits, 200_000), false);   // warm up the JIT, both paths
        Run warm = run(sample, Math.min(exits, 200_000), true);
        if (warm.note() != null) {
            System.out.println("kernel events unavailable: " + warm.note());
            System.exit(2);
        }
        double[] off = new double[rounds];
        double[] on = new double[rounds];
        long events = 0;
        long lost = 0;
        for (int r = 0; r < rounds; r++) {
            off[r] = run(sample, exits, false).rate();
            Run k = run(sample, exits, true);
            on[r] = k.rate();
            events += k.kernelEvents();
            lost += k.lost();
            System.out.printf(Locale.ROOT, "round %d: off %,.0f exits/s, on %,.0f exits/s (%.3f), %,d kernel events,"
                    + " %d lost%n", r + 1, off[r], on[r], on[r] / off[r], k.kernelEvents(), k.lost());
        }
        double mOff = median(off);
        double mOn = median(on);
        System.out.println();
        System.out.printf(Locale.ROOT, "kernel events off: %,12.0f exits/s%n", mOff);
        System.out.printf(Locale.ROOT, "kernel events on:  %,12.0f exits/s%n", mOn);
        System.out.printf(Locale.ROOT, "ratio on/off = %.3f (target >= 0.75); %.2f kernel events per exit;"
                + " %d lost in %d rounds (target 0, buffer %d KiB per CPU)%n", mOn / mOff,
                (double) events / (exits * rounds), lost, rounds, KernelTracer.DEFAULT_BUFFER_KB);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static Run run(Path sample, long exits, boolean kernel) throws Exception {
        MachineConfig c = GuestSpec.resolve(sample).kernelEvents(kernel ? KernelTracer.Options.DEFAULT : null).build();
        try (Machine m = Machine.create(c)) {
            m.memory().writeInt(c.load() + 4, (int) (exits - 1));
            long t0 = System.nanoTime();
            m.start();
            Outcome o = m.awaitOutcome(10, TimeUnit.MINUTES);   // kernel buffers drained before it returns
            double s = (System.nanoTime() - t0) / 1e9;
            if (o == null || o.kind() != Outcome.Kind.HALTED || m.store().size() != exits) {
                throw new IllegalStateException("ioloop did not run as expected: " + o + ", " + m.store().size());
            }
            KernelEvents k = m.kernelEvents();
            return new Run(exits / s, k.size(), k.lost(), kernel && !k.capture().on() ? k.capture().note() : null);
        }
    }
}
