package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.engine.trace.ExitColumns;

import java.util.Arrays;

/**
 * A pyramid of reason masks over an exit source, so a timeline can say "which reasons happened on which vCPU
 * in exits [a, b)" in time that follows pixels, not exits. Level 0 summarises blocks of 16 consecutive exits,
 * each level above 8 blocks of the one below; every entry is, per vCPU, a bitmask of the reasons seen
 * ({@link ReasonPalette#bit}). Memory: about 4.6 bits per exit per vCPU (10M exits, 2 vCPUs: ~11 MB).
 *
 * <p>One thread {@link #extend extends} it (a background worker, incrementally as a live run grows); any
 * thread may {@link #collect} from it at the same time. Exits past what is summarised yet are sampled, so a
 * query never walks more than a bounded number of raw exits.
 */
public final class ReasonSummary {
    static final int BASE_SHIFT = 4;
    /** Exits per level-0 block. */
    public static final int BASE = 1 << BASE_SHIFT;
    static final int FANOUT_SHIFT = 3;
    static final int LEVELS = 9;
    /** Raw exits a query reads at most in a region not summarised yet, per call. */
    static final int SAMPLE_LIMIT = 96;

    private final ExitColumns columns;
    private final int lanes;
    /** levels[k][lane][block]; replaced (grown) by the builder before {@link #built} is advanced. */
    private volatile long[][][] levels;
    /** Exits covered by complete level-0 blocks (a multiple of {@link #BASE}). */
    private volatile long built;
    private final long[] scratch;

    public ReasonSummary(ExitColumns columns, int lanes) {
        this.columns = columns;
        this.lanes = Math.max(1, lanes);
        long[][][] l = new long[LEVELS][this.lanes][];
        for (long[][] level : l) {
            for (int v = 0; v < this.lanes; v++) {
                level[v] = new long[16];
            }
        }
        levels = l;
        scratch = new long[this.lanes];
    }

    public int lanes() {
        return lanes;
    }

    /** Exits summarised so far. */
    public long built() {
        return built;
    }

    static long blockSize(int level) {
        return 1L << (BASE_SHIFT + FANOUT_SHIFT * level);
    }

    /**
     * Summarises every complete level-0 block up to the columns' current size; returns the new
     * {@link #built()}. Call from one thread at a time (not the FX thread for big sources).
     */
    public synchronized long extend() {
        long target = (columns.size() >>> BASE_SHIFT) << BASE_SHIFT;
        long from = built;
        if (target <= from) {
            return from;
        }
        long[][][] l = ensureCapacity(target >>> BASE_SHIFT);
        for (long start = from; start < target; start += BASE) {
            Arrays.fill(scratch, 0);
            for (long s = start; s < start + BASE; s++) {
                int v = columns.vcpu(s);
                scratch[v < lanes ? v : lanes - 1] |= 1L << ReasonPalette.bit(columns.reasonCode(s));
            }
            long block = start >>> BASE_SHIFT;
            for (int v = 0; v < lanes; v++) {
                l[0][v][(int) block] = scratch[v];
            }
            // a block that completes a group of 8 completes the parent, and so on up
            for (int k = 1; k < LEVELS && ((block + 1) & 7) == 0; k++) {
                long parent = block >>> FANOUT_SHIFT;
                int firstChild = (int) (parent << FANOUT_SHIFT);
                for (int v = 0; v < lanes; v++) {
                    long[] child = l[k - 1][v];
                    long m = 0;
                    for (int c = 0; c < 8; c++) {
                        m |= child[firstChild + c];
                    }
                    l[k][v][(int) parent] = m;
                }
                block = parent;
            }
        }
        built = target;
        return target;
    }

    private long[][][] ensureCapacity(long blocks0) {
        long[][][] l = levels;
        if (l[0][0].length >= blocks0) {
            return l;
        }
        long[][][] g = new long[LEVELS][lanes][];
        for (int k = 0; k < LEVELS; k++) {
            long need = Math.max(16, (blocks0 >>> (FANOUT_SHIFT * k)) + 1);
            int cap = l[k][0].length;
            while (cap < need) {
                cap = cap * 2;
            }
            for (int v = 0; v < lanes; v++) {
                g[k][v] = cap == l[k][v].length ? l[k][v] : Arrays.copyOf(l[k][v], cap);
            }
        }
        levels = g;
        return g;
    }

    /**
     * ORs into {@code laneMasks[v]} the reason bits of every exit in [from, to) on vCPU lane v. Returns true
     * when the answer is exact, false when part of the range was sampled (not summarised yet).
     */
    public boolean collect(long from, long to, long[] laneMasks) {
        long b = built;               // read before the arrays: the builder grows them first
        long[][][] l = levels;
        long s = from;
        while (s < to && s < b) {
            if ((s & (BASE - 1)) != 0 || s + BASE > to || s + BASE > b) {
                raw(s, laneMasks);
                s++;
                continue;
            }
            int k = 0;
            while (k + 1 < LEVELS) {
                long size = blockSize(k + 1);
                if ((s & (size - 1)) != 0 || s + size > to || s + size > b) {
                    break;
                }
                k++;
            }
            int block = (int) (s >>> (BASE_SHIFT + FANOUT_SHIFT * k));
            for (int v = 0; v < lanes; v++) {
                laneMasks[v] |= l[k][v][block];
            }
            s += blockSize(k);
        }
        if (s >= to) {
            return true;
        }
        long n = to - s;
        if (n <= SAMPLE_LIMIT) {
            for (; s < to; s++) {
                raw(s, laneMasks);
            }
            return true;
        }
        double stride = (double) n / SAMPLE_LIMIT;
        for (int i = 0; i < SAMPLE_LIMIT; i++) {
            raw(s + (long) (i * stride), laneMasks);
        }
        raw(to - 1, laneMasks);
        return false;
    }

    private void raw(long s, long[] laneMasks) {
        int v = columns.vcpu(s);
        laneMasks[v < lanes ? v : lanes - 1] |= 1L << ReasonPalette.bit(columns.reasonCode(s));
    }

    /** Heap held by the pyramid, for the status bar and the benchmark. */
    public long heapBytes() {
        long n = 0;
        for (long[][] level : levels) {
            for (long[] lane : level) {
                n += 8L * lane.length;
            }
        }
        return n;
    }
}
