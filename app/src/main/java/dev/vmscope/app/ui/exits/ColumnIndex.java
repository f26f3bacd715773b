package dev.vmscope.app.ui.exits;

import dev.vmscope.engine.trace.ExitColumns;

import java.util.Arrays;

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
        long[] out = new long[n];
        if (reasons == null) {
            Arrays.fill(out, -1L);
        } else {
            for (int c = 0; c < 256; c++) {
                if (reasons[c] && byReason[c] != null) {
                    or(out, byReason[c]);
                }
            }
        }
        if (vcpu >= 0) {
            long[] v = vcpu < 256 ? byVcpu[vcpu] : null;
            for (int i = 0; i < n; i++) {
                out[i] &= v != null && i < v.length ? v[i] : 0;
            }
        }
        if (n > 0 && (upTo & 63) != 0) {
            out[n - 1] &= (1L << upTo) - 1;     // nothing at or past upTo
        }
        return new SeqSet(out);
    }

    private static void or(long[] out, long[] in) {
        int n = Math.min(out.length, in.length);
        for (int i = 0; i < n; i++) {
            out[i] |= in[i];
        }
    }

    private static int words(long n) {
        return (int) ((n + 63) >>> 6);
    }
}
