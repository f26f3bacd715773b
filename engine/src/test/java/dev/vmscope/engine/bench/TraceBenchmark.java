package dev.vmscope.engine.bench;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.MachineInfo;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.engine.trace.TraceStatistics;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Trace costs on an ioloop guest ({@code mov ecx,N; l: out 0x80,al; dec ecx; jnz l; hlt}, built inline so
 * the benchmark needs no sample files): bytes per exit in memory and on disk, heap held, time to open the
 * file and to compute its statistics, and the capture rate with recording against the same guest without
 * (the baseline, measured in the same run). Run with {@code bench/run.sh trace [EXITS,EXITS,...] [real|synthetic|auto]}.
 *
 * <p>In {@code auto} mode a count whose guest run would take longer than {@link #MAX_REAL_SECONDS} at the
 * rate measured first is recorded from synthesised exits instead: the same stream an ioloop run produces
 * (OUT 0x80, RCX counting down, the guest's real first snapshot, times and guest times drawn around the
 * measured ones), written through the same store and writer. The output says which.
 */
public final class TraceBenchmark {
    private static final double MAX_REAL_SECONDS = 90;

    private TraceBenchmark() {
    }

    static byte[] ioloop(long exits) {
        long n = exits - 1;   // N OUTs and the final HLT
        byte[] b = HexFormat.of().parseHex("66B900000000E680664975FAF4");
        for (int i = 0; i < 4; i++) {
            b[2 + i] = (byte) (n >>> (8 * i));
        }
        return b;
    }

    public static void main(String[] args) throws Exception {
        long[] counts = Arrays.stream((args.length > 0 ? args[0] : "1000000,10000000").split(","))
                .mapToLong(s -> Long.parseLong(s.trim().replace("_", ""))).toArray();
        String mode = args.length > 1 ? args[1] : "auto";
        Path dir = Path.of(args.length > 2 ? args[2] : "engine/target").toAbsolutePath();
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "trace benchmark: ioloop, max heap %,d MiB, mode %s%n",
                Runtime.getRuntime().maxMemory() >> 20, mode);

        // warm up and measure the plain capture rate (the baseline) on a short run
        Path warm = dir.resolve("warm.vmtrace");
        run(200_000, null);
        run(200_000, warm);
        int rounds = 5;
        double[] plainRates = new double[rounds];
        double[] recordedRates = new double[rounds];
        for (int i = 0; i < rounds; i++) {   // interleaved, so drift on a shared host hits both alike
            plainRates[i] = run(300_000, null).rate;
            recordedRates[i] = run(300_000, warm).rate;
        }
        Files.deleteIfExists(warm);
        double plain = median(plainRates);
        double recorded = median(recordedRates);
        System.out.printf(Locale.ROOT, "capture, 300,000 exits, median of %d: %,.0f exits/s plain (baseline),"
                + " %,.0f exits/s while recording: ratio %.3f%n%n", rounds, plain, recorded, recorded / plain);

        System.out.printf("%-12s %-10s %9s %9s %9s %11s %11s %9s %9s %9s%n", "exits", "source", "mem B/ex",
                "disk B/ex", "file MiB", "live heap", "open heap", "open s", "stats s", "MiB/s");
        for (long n : counts) {
            Path file = dir.resolve("ioloop-" + n + ".vmtrace");
            boolean real = mode.equals("real") || mode.equals("auto") && n / recorded <= MAX_REAL_SECONDS;
            gc();
            long before = usedHeap();
            Run r = real ? run(n, file) : synthesise(n, file);
            gc();
            long liveHeap = usedHeap() - before;
            double memPerExit = (double) r.store.heapBytes() / n;
            long fileBytes = Files.size(file);
            r.store = null;
            gc();

            long t0 = System.nanoTime();
            LoadedTrace t = TraceReader.open(file);
            double openSeconds = (System.nanoTime() - t0) / 1e9;
            gc();
            long openHeap = usedHeap() - before;
            if (t.source().size() != n || !t.report().isClean()) {
                throw new IllegalStateException("reopened trace differs: " + t.report().summary());
            }
            long t1 = System.nanoTime();
            TraceStatistics.of(t.source());
            double statsSeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf(Locale.ROOT, "%,-12d %-10s %9.1f %9.1f %9.1f %8.0f MiB %8.0f MiB %9.2f %9.2f %9.0f%n",
                    n, real ? "guest" : "synthetic", memPerExit, (double) fileBytes / n, fileBytes / 1048576.0,
                    liveHeap / 1048576.0, openHeap / 1048576.0, openSeconds, statsSeconds,
                    fileBytes / 1048576.0 / openSeconds);
            t = null;
            Files.deleteIfExists(file);
        }
        System.out.println();
        System.out.println("mem B/ex: encoded chunks + columns per exit (target <= 48); disk B/ex: file size per exit"
                + " (target <= 48);");
        System.out.println("live heap / open heap: heap held after the recording run / after opening the file"
                + " (target for 10M: < 1 GiB); open s: TraceReader.open; stats s: TraceStatistics.of.");
    }

    private static final class Run {
        ExitStore store;
        double rate;
    }

    /** Runs ioloop for {@code exits} exits on KVM, recording to {@code file} unless it is null. */
    private static Run run(long exits, Path file) throws Exception {
        MachineConfig c = MachineConfig.builder("ioloop", ioloop(exits)).build();
        Run r = new Run();
        try (Machine m = Machine.create(c)) {
            TraceWriter w = file == null ? null : TraceWriter.record(m.store(), file);
            long t0 = System.nanoTime();
            m.start();
            Outcome o = m.awaitOutcome(30, TimeUnit.MINUTES);
            double s = (System.nanoTime() - t0) / 1e9;
            if (w != null) {
                w.close();
            }
            if (o == null || o.kind() != Outcome.Kind.HALTED || m.store().size() != exits) {
                throw new IllegalStateException("ioloop did not run as expected: " + o + ", " + m.store().size());
            }
            r.store = m.store();
            r.rate = exits / s;
        }
        return r;
    }

    /** The exits an ioloop run of {@code exits} would give, without KVM; recorded like a real run. */
    @SuppressWarnings("try")   // the writer records the store while it is open; the body never names it
    private static Run synthesise(long exits, Path file) throws IOException {
        MachineInfo info;
        CapturedExit template = new CapturedExit();
        try (Machine m = Machine.create(MachineConfig.builder("ioloop", ioloop(exits)).maxExits(2).build())) {
            m.start();
            m.awaitOutcome(1, TimeUnit.MINUTES);
            info = m.store().machine();
            long[] words = m.store().get(0).state().words();
            System.arraycopy(words, 0, template.state, 0, words.length);
            template.rawReason = KvmExitReason.IO.code;
            template.payload[0] = 1 | (1L << 8) | (0x80L << 16) | (1L << 32);
            template.ioLength = 1;
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        ExitStore store = new ExitStore(info);
        Random rnd = new Random(1);
        long t0 = System.nanoTime();
        try (TraceWriter w = TraceWriter.record(store, file)) {
            CapturedExit e = template;
            long time = 50_000;
            long rcx = e.state[StateLayout.RCX];
            for (long i = 0; i < exits; i++) {
                boolean last = i == exits - 1;
                e.rawReason = last ? KvmExitReason.HLT.code : KvmExitReason.IO.code;
                e.ioLength = last ? 0 : 1;
                e.guestNs = 2_500 + rnd.nextInt(1_500) + (rnd.nextInt(1000) == 0 ? rnd.nextInt(200_000) : 0);
                time += e.guestNs + 1_200 + rnd.nextInt(800);
                e.timeNs = time;
                e.state[StateLayout.RCX] = rcx - i - 1;
                store.append(e);
            }
            store.flush(0);
            store.setOutcome(new Outcome(Outcome.Kind.HALTED, 0, exits - 1, "every vCPU halted"));
        }
        Run r = new Run();
        r.store = store;
        r.rate = exits / ((System.nanoTime() - t0) / 1e9);
        return r;
    }

    private static double median(double... v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void gc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
