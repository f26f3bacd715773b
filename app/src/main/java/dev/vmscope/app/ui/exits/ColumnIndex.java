package dev.vmscope.app.ui.exits;

import dev.vmscope.engine.trace.ExitColumns;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which exits have each reason and which each vCPU made, as one bitset over seq per reason code and per vCPU:
 * read off the columns once (off the FX thread), extended as a live run grows. A reason/vCPU filter is then a
 * few ORs and an AND over words (10M exits: 156k words), not a pass over the exits.
 *
 * <p>Thread-safe (one worker extends while another selects); the FX thread never calls it.
 */
final class ColumnIndex {
    private final ExitColumns columns;
    private final long[][] byReason = new long[256][];
    private final long[][] byVcpu = new long[256][];
    private long indexed;

    ColumnIndex(ExitColumns columns) {
        this.columns = columns;
    }

    /** Indexes the exits up to {@code n} (those below are already). */
    synchronized void extendTo(long n) {
        if (n <= indexed) {
            return;
        }
        int need = words(n);
        for (long q = indexed; q < n; q++) {
            int w = (int) (q >>> 6);
            long bit = 1L << q;
            set(byReason, columns.reasonCode(q) & 0xff, need)[w] |= bit;
            set(byVcpu, columns.vcpu(q) & 0xff, need)[w] |= bit;
        }
        indexed = n;
    }

    private static long[] set(long[][] sets, int code, int need) {
        long[] s = sets[code];
        if (s == null || s.length < need) {
            s = s == null ? new long[need] : Arrays.copyOf(s, Math.max(need, s.length + s.length / 2));
            sets[code] = s;
        }
        return s;
    }

    /** Which reason codes occur among the exits indexed so far. */
    synchronized boolean[] reasonsPresent() {
        boolean[] seen = new boolean[256];
        for (int c = 0; c < 256; c++) {
            seen[c] = byReason[c] != null;
        }
        return seen;
    }

    /**
     * The exits below {@code upTo} (indexed first if need be) with one of the reasons {@code reasons} (indexed by
     * code; null: every reason) made by vCPU {@code vcpu} (-1: any).
     */
    synchronized SeqSet select(boolean[] reasons, int vcpu, long upTo) {
        extendTo(upTo);
        int n = words(upTo);
        long[][] chosen = chosen(reasons);
        long[] v = vcpuSet(vcpu);
        long[] out = new long[n];
        for (int w = 0; w < n; w++) {
            out[w] = word(chosen, v, w);
        }
        if (n > 0 && (upTo & 63) != 0) {
            out[n - 1] &= (1L << upTo) - 1;     // nothing at or past upTo
        }
        return new SeqSet(out);
    }

    /**
     * Like {@link #select}, but only the exits {@code from} to {@code to}, ascending, and null when there are more
     * than {@code max}: a pass over a range of a big trace reads that range's words, not the whole trace's.
     */
    synchronized long[] members(boolean[] reasons, int vcpu, long from, long to, int max) {
        extendTo(to);
        long[][] chosen = chosen(reasons);
        long[] v = vcpuSet(vcpu);
        long[] out = new long[16];
        int n = 0;
        for (int w = (int) (from >>> 6); w < words(to); w++) {
            long bits = word(chosen, v, w);
            long base = (long) w << 6;
            if (base < from) {
                bits &= -1L << from;            // nothing below from
            }
            if (base + 64 > to) {
                bits &= (1L << to) - 1;         // nothing at or past to
            }
            for (; bits != 0; bits &= bits - 1) {
                if (n == max) {
                    return null;
                }
                if (n == out.length) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                out[n++] = base + Long.numberOfTrailingZeros(bits);
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** The bitsets of the reasons chosen (null reasons: every reason's). */
    private long[][] chosen(boolean[] reasons) {
        List<long[]> sets = new ArrayList<>();
        for (int c = 0; c < 256; c++) {
            if ((reasons == null || reasons[c]) && byReason[c] != null) {
                sets.add(byReason[c]);
            }
        }
        return sets.toArray(new long[0][]);
    }

    /** Vcpu {@code vcpu}'s bitset; null for any vCPU, an empty one for a vCPU that made no exit. */
    private long[] vcpuSet(int vcpu) {
        if (vcpu < 0) {
            return null;
        }
        long[] v = vcpu < 256 ? byVcpu[vcpu] : null;
        return v == null ? new long[0] : v;
    }

    /** Word {@code w} of the chosen reasons' union, within the vCPU's set (null: any vCPU). */
    private static long word(long[][] chosen, long[] vcpu, int w) {
        long bits = 0;
        for (long[] set : chosen) {
            bits |= w < set.length ? set[w] : 0;
        }
        return vcpu == null ? bits : bits & (w < vcpu.length ? vcpu[w] : 0);
    }

    private static int words(long n) {
        return (int) ((n + 63) >>> 6);
    }
}
