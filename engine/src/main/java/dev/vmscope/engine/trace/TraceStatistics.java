package dev.vmscope.engine.trace;

import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run's exits add up to: exits per reason, per vCPU, per I/O port and direction, per MSR, per MMIO
 * page, the exit rate over time, and the guest time before each exit (the time spent inside KVM_RUN).
 * Works on any {@link ExitSource}, live or recorded; exits a damaged trace lost are counted apart.
 */
public final class TraceStatistics {
    /** At most this many rate buckets. */
    public static final int MAX_BUCKETS = 40;
    /** Text output lists this many ports, MSRs and pages, the busiest first. */
    private static final int TEXT_TOP = 15;

    /** How many exits touched one I/O port, MSR or MMIO page, split by direction. */
    public record Access(long key, long reads, long writes) {
        public long total() {
            return reads + writes;
        }
    }

    /** Summary of a distribution of durations in ns (exact: every value is sorted). */
    public record Durations(long count, long min, long median, long p99, long max) {
    }

    private final MachineInfo machine;
    private final long exits;
    private final long lost;
    private final long firstNs;
    private final long lastNs;
    private final Map<String, Long> byReason;
    private final long[] byVcpu;
    private final List<Access> ioPorts;
    private final List<Access> msrs;
    private final List<Access> mmioPages;
    private final long bucketNs;
    private final long[] buckets;
    private final Durations guestTime;

    private TraceStatistics(MachineInfo machine, long exits, long lost, long firstNs, long lastNs,
                            Map<String, Long> byReason, long[] byVcpu, List<Access> ioPorts, List<Access> msrs,
                            List<Access> mmioPages, long bucketNs, long[] buckets, Durations guestTime) {
        this.machine = machine;
        this.exits = exits;
        this.lost = lost;
        this.firstNs = firstNs;
        this.lastNs = lastNs;
        this.byReason = byReason;
        this.byVcpu = byVcpu;
        this.ioPorts = ioPorts;
        this.msrs = msrs;
        this.mmioPages = mmioPages;
        this.bucketNs = bucketNs;
        this.buckets = buckets;
        this.guestTime = guestTime;
    }

    /** Counts everything in {@code source} as it is now (one pass over the columns, one decoding scan). */
    public static TraceStatistics of(ExitSource source) {
        ExitColumns c = source.columns();
        long size = c.size();
        int vcpus = Math.max(1, source.machine().vcpus());
        long[] reasonCounts = new long[256];
        long[] vcpuCounts = new long[vcpus];
        long lost = 0;
        long first = -1;
        long last = 0;
        for (long s = 0; s < size; s++) {
            int v = c.vcpu(s);
            if (v == ExitColumns.LOST || v >= vcpus) {
                lost++;
                continue;
            }
            vcpuCounts[v]++;
            reasonCounts[c.reasonCode(s)]++;
            long t = c.timeNs(s);
            if (first < 0) {
                first = t;
            }
            last = t;
        }
        long exits = size - lost;
        first = Math.max(first, 0);

        long span = Math.max(1, last - first + 1);
        long bucketNs = niceBucket(span);
        long[] buckets = new long[(int) Math.max(1, (span + bucketNs - 1) / bucketNs)];
        for (long s = 0; s < size; s++) {
            if (c.vcpu(s) != ExitColumns.LOST) {
                int b = (int) ((c.timeNs(s) - first) / bucketNs);
                buckets[Math.min(Math.max(b, 0), buckets.length - 1)]++;
            }
        }

        Payloads p = new Payloads((int) Math.min(exits, Integer.MAX_VALUE - 16));
        if (source instanceof ExitStore store && sealedExits(store) == exits) {
            // every exit sits in a sealed chunk (a trace file, an ended run): decode in place, no records
            CapturedExit e = new CapturedExit();
            for (int v = 0; v < vcpus; v++) {
                store.forEachChunk(v, ch -> {
                    ChunkDecoder d = new ChunkDecoder(ch);
                    while (d.hasNext()) {
                        d.nextInto(e);
                        p.add(e);
                    }
                });
            }
        } else {
            source.scan(0, size, p::add);
        }
        long[] guest = p.guest;
        int[] n = {p.n};
        Map<Long, long[]> ports = new HashMap<>();
        for (int port = 0; port < 65_536; port++) {
            if (p.ports[2 * port] + p.ports[2 * port + 1] > 0) {
                ports.put((long) port, new long[]{p.ports[2 * port], p.ports[2 * port + 1]});
            }
        }
        Map<Long, long[]> msr = p.msrs;
        Map<Long, long[]> pages = p.pages;
        long[] g = Arrays.copyOf(guest, n[0]);
        Arrays.sort(g);
        Durations d = g.length == 0 ? new Durations(0, 0, 0, 0, 0)
                : new Durations(g.length, g[0], g[(g.length - 1) / 2], g[(int) Math.ceil(g.length * 0.99) - 1],
                g[g.length - 1]);

        Map<String, Long> byReason = new LinkedHashMap<>();
        Integer[] order = new Integer[256];
        for (int i = 0; i < 256; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> -reasonCounts[i]).thenComparing(i -> i));
        for (int r : order) {
            if (reasonCounts[r] > 0) {
                byReason.put(RunSummary.reasonName(r), reasonCounts[r]);
            }
        }
        return new TraceStatistics(source.machine(), exits, lost, first, last, byReason, vcpuCounts,
                sorted(ports), sorted(msr), sorted(pages), bucketNs, buckets, d);
    }

    /** Exits in the store's sealed chunks (all of them once a run has ended or was read from a file). */
    private static long sealedExits(ExitStore store) {
        return store.sealedExits();
    }

    /** What the statistics need from each exit's payload, from a record or straight from a chunk. */
    private static final class Payloads {
        final long[] guest;
        int n;
        final long[] ports = new long[2 * 65_536];   // [2*port]: IN, [2*port+1]: OUT
        final Map<Long, long[]> msrs = new HashMap<>();
        final Map<Long, long[]> pages = new HashMap<>();

        Payloads(int capacity) {
            guest = new long[capacity];
        }

        void add(CapturedExit e) {
            if (n < guest.length) {
                guest[n++] = e.guestNs;
            }
            KvmExitReason r = KvmExitReason.of(e.rawReason);
            if (r == KvmExitReason.IO) {
                ports[2 * e.ioPort() + (e.ioOut() ? 1 : 0)]++;
            } else if (r == KvmExitReason.X86_RDMSR || r == KvmExitReason.X86_WRMSR) {
                count(msrs, e.msrIndex() & 0xFFFFFFFFL, r == KvmExitReason.X86_WRMSR);
            } else if (r == KvmExitReason.MMIO) {
                count(pages, e.mmioAddress() & ~0xFFFL, e.mmioWrite());
            }
        }

        void add(ExitRecord r) {
            if (n < guest.length) {
                guest[n++] = r.guestNs();
            }
            KvmExit e = r.exit();
            if (e instanceof KvmExit.Io io) {
                ports[2 * io.port() + (io.out() ? 1 : 0)]++;
            } else if (e instanceof KvmExit.Msr m) {
                count(msrs, m.index() & 0xFFFFFFFFL, m.write());
            } else if (e instanceof KvmExit.Mmio m) {
                count(pages, m.address() & ~0xFFFL, m.write());
            }
        }
    }

    private static void count(Map<Long, long[]> m, long key, boolean write) {
        m.computeIfAbsent(key, k -> new long[2])[write ? 1 : 0]++;
    }

    private static List<Access> sorted(Map<Long, long[]> m) {
        List<Access> l = new ArrayList<>();
        m.forEach((k, v) -> l.add(new Access(k, v[0], v[1])));
        l.sort(Comparator.comparingLong(Access::total).reversed().thenComparingLong(Access::key));
        return List.copyOf(l);
    }

    /** The smallest 1-2-5 step that cuts {@code span} ns into at most {@link #MAX_BUCKETS} buckets. */
    static long niceBucket(long span) {
        for (long p = 1; ; p *= 10) {
            for (long m : new long[]{1, 2, 5}) {
                long w = m * p;
                if ((span + w - 1) / w <= MAX_BUCKETS || w > Long.MAX_VALUE / 20) {
                    return w;
                }
            }
        }
    }

    // ---- accessors ----

    public MachineInfo machine() {
        return machine;
    }

    /** Exits counted (recovered ones; lost ones are in {@link #lost()}). */
    public long exits() {
        return exits;
    }

    /** Seqs with no exit (a damaged trace). */
    public long lost() {
        return lost;
    }

    /** Time from the first exit to the last, in ns. */
    public long spanNs() {
        return exits == 0 ? 0 : lastNs - firstNs;
    }

    /** Exits per reason, the most frequent first. */
    public Map<String, Long> byReason() {
        return byReason;
    }

    public long[] byVcpu() {
        return byVcpu.clone();
    }

    /** Per I/O port: reads are IN, writes are OUT. */
    public List<Access> ioPorts() {
        return ioPorts;
    }

    /** Per MSR index (RDMSR/WRMSR exits: only seen with MSR trapping on). */
    public List<Access> msrs() {
        return msrs;
    }

    /** Per 4 KiB page of MMIO addresses. */
    public List<Access> mmioPages() {
        return mmioPages;
    }

    public long bucketNs() {
        return bucketNs;
    }

    /** Exits per time bucket of {@link #bucketNs()}, from the first exit on. */
    public long[] rateBuckets() {
        return buckets.clone();
    }

    /** Guest time before each exit (ns inside KVM_RUN). */
    public Durations guestTime() {
        return guestTime;
    }

    // ---- renderings ----

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "guest %s: %d vCPU%s, %s, %s snapshots%n", machine.guestName(),
                machine.vcpus(), machine.vcpus() == 1 ? "" : "s", machine.mode(), machine.snapshotLevel()));
        b.append(String.format(Locale.ROOT, "exits: %,d over %s", exits, seconds(spanNs())));
        if (spanNs() > 0) {
            b.append(String.format(Locale.ROOT, " (%,.0f exits/s)", exits / (spanNs() / 1e9)));
        }
        if (lost > 0) {
            b.append(String.format(Locale.ROOT, "; %,d more lost from a damaged trace", lost));
        }
        b.append("\n\nby reason:\n");
        byReason.forEach((k, v) -> b.append(String.format(Locale.ROOT, "  %-18s %,12d  %5.1f%%%n", k, v,
                100.0 * v / Math.max(1, exits))));
        b.append("\nby vCPU:\n");
        for (int v = 0; v < byVcpu.length; v++) {
            b.append(String.format(Locale.ROOT, "  vCPU %-13d %,12d%n", v, byVcpu[v]));
        }
        accessText(b, "I/O ports", "port", ioPorts, "in", "out", "0x%04x");
        accessText(b, "MSRs", "msr", msrs, "rdmsr", "wrmsr", "0x%08x");
        accessText(b, "MMIO pages", "page", mmioPages, "read", "write", "0x%x");
        b.append(String.format(Locale.ROOT, "%nguest time before each exit (inside KVM_RUN):%n"
                        + "  min %s   median %s   p99 %s   max %s%n", seconds(guestTime.min()),
                seconds(guestTime.median()), seconds(guestTime.p99()), seconds(guestTime.max())));
        b.append(String.format(Locale.ROOT, "%nexit rate (buckets of %s from the first exit):%n", seconds(bucketNs)));
        long peak = Arrays.stream(buckets).max().orElse(0);
        for (int i = 0; i < buckets.length; i++) {
            int bar = peak == 0 ? 0 : (int) Math.round(30.0 * buckets[i] / peak);
            b.append(String.format(Locale.ROOT, "  %10s %,12d  %,14.0f/s  %s%n", "+" + inUnitOf(i * bucketNs, bucketNs),
                    buckets[i],
                    buckets[i] / (bucketNs / 1e9), "#".repeat(bar)));
        }
        return b.toString();
    }

    private void accessText(StringBuilder b, String title, String what, List<Access> l, String read, String write,
                            String fmt) {
        if (l.isEmpty()) {
            return;
        }
        b.append(String.format(Locale.ROOT, "%n%s:%n  %-12s %12s %12s %12s%n", title, what, read, write, "total"));
        for (int i = 0; i < Math.min(TEXT_TOP, l.size()); i++) {
            Access a = l.get(i);
            b.append(String.format(Locale.ROOT, "  %-12s %,12d %,12d %,12d%n", String.format(fmt, a.key()), a.reads(),
                    a.writes(), a.total()));
        }
        if (l.size() > TEXT_TOP) {
            b.append(String.format(Locale.ROOT, "  … %d more (--json lists all)%n", l.size() - TEXT_TOP));
        }
    }

    /** A duration for people (the one formatter every view uses). */
    static String seconds(long ns) {
        return TimeText.duration(ns);
    }

    /** {@code ns} in the unit that suits {@code unitNs} (a bucket width), so a column of them lines up. */
    static String inUnitOf(long ns, long unitNs) {
        return TimeText.tick(ns, unitNs);
    }

    /** One JSON object (on one line): every count, every port/MSR/page, every bucket. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{");
        b.append("\"guest\":").append(Json.quote(machine.guestName()))
                .append(",\"vcpus\":").append(machine.vcpus())
                .append(",\"exits\":").append(exits)
                .append(",\"lost\":").append(lost)
                .append(",\"spanNs\":").append(spanNs())
                .append(",\"byReason\":{");
        boolean first = true;
        for (Map.Entry<String, Long> e : byReason.entrySet()) {
            b.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(e.getValue());
            first = false;
        }
        b.append("},\"byVcpu\":[");
        for (int v = 0; v < byVcpu.length; v++) {
            b.append(v > 0 ? "," : "").append(byVcpu[v]);
        }
        b.append(']');
        accessJson(b, "ioPorts", "port", ioPorts, "in", "out");
        accessJson(b, "msrs", "index", msrs, "reads", "writes");
        accessJson(b, "mmioPages", "page", mmioPages, "reads", "writes");
        b.append(",\"guestTimeNs\":{\"count\":").append(guestTime.count()).append(",\"min\":").append(guestTime.min())
                .append(",\"median\":").append(guestTime.median()).append(",\"p99\":").append(guestTime.p99())
                .append(",\"max\":").append(guestTime.max()).append('}');
        b.append(",\"rate\":{\"bucketNs\":").append(bucketNs).append(",\"exits\":[");
        for (int i = 0; i < buckets.length; i++) {
            b.append(i > 0 ? "," : "").append(buckets[i]);
        }
        return b.append("]}}").toString();
    }

    private static void accessJson(StringBuilder b, String name, String key, List<Access> l, String read,
                                   String write) {
        b.append(",\"").append(name).append("\":[");
        for (int i = 0; i < l.size(); i++) {
            Access a = l.get(i);
            b.append(i > 0 ? "," : "").append("{\"").append(key).append("\":").append(a.key())
                    .append(",\"").append(read).append("\":").append(a.reads())
                    .append(",\"").append(write).append("\":").append(a.writes()).append('}');
        }
        b.append(']');
    }
}
