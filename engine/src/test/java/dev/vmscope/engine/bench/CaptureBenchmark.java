package dev.vmscope.engine.bench;

import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.SnapshotLevel;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Captured exits per second on samples/ioloop, against a C loop doing the same KVM_RUN work, all in one
 * run: C plain KVM_RUN (the floor), C with sync regs reading registers at each exit (the baseline),
 * vmscope fast and full. Prints the median of several rounds and the ratios, each ratio also as the range its
 * per-round values span (a ratio is taken within a round, where variants ran back to back under the same load,
 * so the range says how far one run can be trusted). Run with bench/run.sh capture.
 */
public final class CaptureBenchmark {
    private static final Pattern C_RESULT = Pattern.compile("exits=(\\d+) seconds=([0-9.]+)");

    private CaptureBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long exits = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath().normalize();
        Path sample = root.resolve("samples/ioloop");
        Path cLoop = buildC(root);

        System.out.printf("ioloop, %,d exits per run, median of %d rounds%n", exits, rounds);
        runJava(sample, Math.min(exits, 300_000), SnapshotLevel.FAST); // warm up the JIT
        runJava(sample, Math.min(exits, 100_000), SnapshotLevel.FULL);

        double[] cPlain = new double[rounds];
        double[] cSync = new double[rounds];
        double[] fast = new double[rounds];
        double[] full = new double[rounds];
        double[] recorded = new double[rounds];
        Path traceFile = Files.createTempFile("capture-bench", ".vmtrace");
        for (int r = 0; r < rounds; r++) {   // interleaved so drift hits every variant alike
            if (cLoop != null) {
                cPlain[r] = runC(cLoop, sample, exits, false);
                cSync[r] = runC(cLoop, sample, exits, true);
            }
            if (r % 2 == 0) {   // alternate which of the two compared runs goes first
                fast[r] = runJava(sample, exits, SnapshotLevel.FAST);
                recorded[r] = runJava(sample, exits, SnapshotLevel.FAST, traceFile);
            } else {
                recorded[r] = runJava(sample, exits, SnapshotLevel.FAST, traceFile);
                fast[r] = runJava(sample, exits, SnapshotLevel.FAST);
            }
            full[r] = runJava(sample, exits, SnapshotLevel.FULL);
        }
        long traceBytes = Files.size(traceFile);
        Files.deleteIfExists(traceFile);
        double mPlain = median(cPlain);
        double mSync = median(cSync);
        double mFast = median(fast);
        double mFull = median(full);
        double mRecorded = median(recorded);
        System.out.println();
        System.out.printf("%-44s %12s %10s%n", "variant", "exits/s", "vs C sync");
        if (cLoop != null) {
            row("C: plain KVM_RUN loop (floor)", mPlain, mSync);
            row("C: KVM_RUN + sync regs, reads regs (baseline)", mSync, mSync);
        }
        row("vmscope capture, fast snapshots", mFast, mSync);
        row("vmscope capture, full snapshots", mFull, mSync);
        row("vmscope capture, fast, recording a trace", mRecorded, mSync);
        System.out.println();
        if (cLoop != null) {
            ratio("fast/C-sync", fast, cSync, "target >= 0.90");
            ratio("full/C-sync", full, cSync, null);
        }
        ratio("recording/fast", recorded, fast, String.format(Locale.ROOT,
                "target >= 0.95; trace with code pages: %.1f bytes per exit", (double) traceBytes / exits));
    }

    /** The median of the per-round ratios a/b and the range they span. */
    private static void ratio(String name, double[] a, double[] b, String note) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        double[] sorted = r.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-15s = %.3f (per-round range %.3f-%.3f over %d rounds)%s%n", name,
                median(r), sorted[0], sorted[sorted.length - 1], r.length, note == null ? "" : "; " + note);
    }

    private static void row(String name, double v, double base) {
        System.out.printf(Locale.ROOT, "%-44s %,12.0f %10s%n", name, v,
                base > 0 ? String.format(Locale.ROOT, "%.3f", v / base) : "-");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Runs ioloop with its count patched to {@code exits - 1} OUTs plus the final HLT; returns exits/s. */
    static double runJava(Path sample, long exits, SnapshotLevel level) throws Exception {
        return runJava(sample, exits, level, null);
    }

    /** As above, recording the run to {@code trace} (the writer closed inside the timed span) unless null. */
    static double runJava(Path sample, long exits, SnapshotLevel level, Path trace) throws Exception {
        MachineConfig c = GuestSpec.resolve(sample).snapshot(level).build();
        try (Machine m = Machine.create(c)) {
            m.memory().writeInt(c.load() + 4, (int) (exits - 1));
            TraceWriter w = trace == null ? null : TraceWriter.record(m.store(), trace);
            long t0 = System.nanoTime();
            m.start();
            Outcome o = m.awaitOutcome(10, TimeUnit.MINUTES);
            if (w != null) {
                w.close();
            }
            double s = (System.nanoTime() - t0) / 1e9;
            if (o == null || o.kind() != Outcome.Kind.HALTED || m.store().size() != exits) {
                throw new IllegalStateException("ioloop did not run as expected: " + o + ", " + m.store().size());
            }
            return exits / s;
        }
    }

    private static double runC(Path exe, Path sample, long exits, boolean sync) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(exe.toString(), sample.resolve("ioloop.bin").toString(),
                "--count", String.valueOf(exits - 1), "--quiet"));
        if (sync) {
            cmd.add("--sync-regs");
        }
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes());
        p.waitFor();
        Matcher m = C_RESULT.matcher(err);
        if (!m.find()) {
            throw new IllegalStateException("C loop printed no result: " + err);
        }
        return Long.parseLong(m.group(1)) / Double.parseDouble(m.group(2));
    }

    private static Path buildC(Path root) throws IOException, InterruptedException {
        Path src = root.resolve("bench/c/kvm_loop.c");
        Path exe = root.resolve("engine/target/kvm_loop");
        if (!Files.exists(src)) {
            System.out.println("C baseline skipped: " + src + " is missing");
            return null;
        }
        for (String cc : List.of("cc", "gcc")) {
            try {
                Process p = new ProcessBuilder(cc, "-O2", "-o", exe.toString(), src.toString(), "-lpthread")
                        .inheritIO().start();
                if (p.waitFor() == 0) {
                    return exe;
                }
            } catch (IOException e) {
                // try the next compiler name
            }
        }
        System.out.println("C baseline skipped: no C compiler (cc or gcc) found");
        return null;
    }
}
