package dev.vmscope.app.ui.exits;

/**
 * An immutable set of seqs, as a bitset over seq with a rank directory: the n-th member and the position of a
 * member cost a binary search over blocks plus a few words, whatever the set's size. The exit list shows a
 * reason/vCPU-filtered list through one (10M exits: 1.2 MB), so it never holds one long per listed exit.
 */
final class SeqSet {
    /** Words per rank entry: 512 seqs. */
    private static final int BLOCK = 8;
    private final long[] words;
    /** Members before each block. */
    private final int[] ranks;
    private final int size;

    /** Takes ownership of {@code words} (bit q of word q/64 set: seq q is a member). */
    SeqSet(long[] words) {
        this.words = words;
        ranks = new int[(words.length + BLOCK - 1) / BLOCK];
        int n = 0;
        for (int b = 0; b < ranks.length; b++) {
            ranks[b] = n;
            int end = Math.min(words.length, (b + 1) * BLOCK);
            for (int i = b * BLOCK; i < end; i++) {
                n += Long.bitCount(words[i]);
            }
        }
        size = n;
    }

    /** Members below {@code seq} (whether or not it is one). */
    int rankOf(long seq) {
        if (seq <= 0) {
            return 0;
        }
        int i = (int) Math.min(seq >>> 6, words.length);
        if (i == words.length) {
            return size;
        }
        int b = i / BLOCK;
        int n = ranks[b];
        for (int k = b * BLOCK; k < i; k++) {
            n += Long.bitCount(words[k]);
        }
        return n + Long.bitCount(words[i] & ((1L << seq) - 1));
    }

    int size() {
        return size;
    }

    boolean contains(long seq) {
        int i = (int) (seq >>> 6);
        return seq >= 0 && i < words.length && (words[i] & (1L << seq)) != 0;
    }

    /** The member at {@code index} (0 = the smallest). */
    long seqAt(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        int lo = 0;
        int hi = ranks.length - 1;
        while (lo < hi) {                       // the last block whose rank is <= index
            int mid = (lo + hi + 1) >>> 1;
            if (ranks[mid] <= index) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        int left = index - ranks[lo];
        for (int i = lo * BLOCK; ; i++) {
            long w = words[i];
            int c = Long.bitCount(w);
            if (left < c) {
                for (int k = 0; k < left; k++) {
                    w &= w - 1;                 // drop the lowest members before the one wanted
                }
                return ((long) i << 6) + Long.numberOfTrailingZeros(w);
            }
            left -= c;
        }
    }

    /** The position of {@code seq} among the members, or -1 when it is not one. */
    int indexOf(long seq) {
        return contains(seq) ? rankOf(seq) : -1;
    }
}
