package dev.vmscope.app.ui.exits;

import java.util.Arrays;

/**
 * The exits a text filter has found, in seq order: the union of two ascending runs that never share a seq. The
 * scanned run grows at its end as a pass tests the exits in order. The named run holds exits whose reason name
 * contains the text, taken at once from the reason index before the pass tests anything (the pass then skips
 * them): when the text names a reason, its exits are listed within milliseconds even if they are the last of
 * millions ("hlt" on a 10M-exit loop), instead of when the pass reaches them. Only for a few ({@link #NAMED_MAX}):
 * a reason with many exits has some among the first the pass tests anyway.
 *
 * <p>FX thread only.
 */
final class TextMatches {
    /** The most exits listed by reason name ahead of the pass. */
    static final int NAMED_MAX = 1 << 16;
    private long[] scanned = new long[0];
    private int scannedCount;
    private long[] named = new long[0];
    private int namedCount;

    void clear() {
        scannedCount = 0;
        namedCount = 0;
    }

    int size() {
        return scannedCount + namedCount;
    }

    /** Adds the pass's next matches (ascending, above every scanned one so far). */
    void addScanned(long[] seqs, int n) {
        scanned = append(scanned, scannedCount, seqs, n);
        scannedCount += n;
    }

    /** Adds exits found by reason name (ascending, above every named one so far, none of them scanned). */
    void addNamed(long[] seqs, int n) {
        named = append(named, namedCount, seqs, n);
        namedCount += n;
    }

    /** Whether the named run holds anything: then new scanned matches may land anywhere in the list. */
    boolean hasNamed() {
        return namedCount > 0;
    }

    /** The {@code k}-th smallest member (0-based). */
    long seqAt(int k) {
        if (k < 0 || k >= size()) {
            throw new IndexOutOfBoundsException(k);
        }
        if (namedCount == 0) {
            return scanned[k];
        }
        if (scannedCount == 0) {
            return named[k];
        }
        // how many of the k+1 smallest come from the scanned run: the largest i whose element is among them
        int lo = Math.max(0, k + 1 - namedCount);
        int hi = Math.min(k + 1, scannedCount);
        while (lo < hi) {
            int i = (lo + hi + 1) >>> 1;          // take i from scanned, k+1-i from named
            int j = k + 1 - i;
            if (j < namedCount && scanned[i - 1] > named[j]) {
                hi = i - 1;                        // scanned[i-1] comes after named[j]: too many from scanned
            } else {
                lo = i;
            }
        }
        int i = lo;
        int j = k + 1 - i;
        long a = i > 0 ? scanned[i - 1] : Long.MIN_VALUE;
        long b = j > 0 ? named[j - 1] : Long.MIN_VALUE;
        return Math.max(a, b);
    }

    /** The position of {@code seq} in the list, or -1 when it is not a member. */
    int indexOf(long seq) {
        int i = Arrays.binarySearch(scanned, 0, scannedCount, seq);
        if (i >= 0) {
            return i + below(named, namedCount, seq);
        }
        int j = Arrays.binarySearch(named, 0, namedCount, seq);
        return j >= 0 ? j + below(scanned, scannedCount, seq) : -1;
    }

    /** Members of {@code a} below {@code seq}. */
    private static int below(long[] a, int n, long seq) {
        int i = Arrays.binarySearch(a, 0, n, seq);
        return i >= 0 ? i : -i - 1;
    }

    private static long[] append(long[] a, int count, long[] more, int n) {
        if (count + n > a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, count + n));
        }
        System.arraycopy(more, 0, a, count, n);
        return a;
    }
}
