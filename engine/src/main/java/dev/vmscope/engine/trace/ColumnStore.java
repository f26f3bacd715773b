package dev.vmscope.engine.trace;

import java.util.Arrays;

/**
 * {@link ExitColumns} in segments of 64 Ki exits, so growing never copies the whole run. One writer at a
 * time (the caller serialises appends); readers only look below the published size.
 *
 * <p>A trace reader fills by seq; a segment where it put no exit is never allocated and reads as lost (with
 * the time before it), so exits a damaged file lost cost no memory, however many a forged seq claims.
 */
final class ColumnStore implements ExitColumns {
    private static final int SHIFT = 16;
    private static final int SEG = 1 << SHIFT;
    private static final int MASK = SEG - 1;

    private volatile long[][] times = new long[16][];
    private volatile byte[][] vcpus = new byte[16][];
    private volatile byte[][] reasons = new byte[16][];
    /** For a reader's segments that were never put: the time their lost exits show. */
    private long[] lostTime = new long[16];
    private volatile long size;
    /** Segments a reader allocated (0 for a live run, where every segment below size is). */
    private long allocated;

    @Override
    public long size() {
        return size;
    }

    /** Appends the next exit; returns its seq. The caller keeps times from decreasing. */
    long append(long timeNs, int vcpu, int rawReason) {
        long seq = size;
        int s = (int) (seq >>> SHIFT);
        int i = (int) (seq & MASK);
        if (i == 0) {
            grow(s);
        }
        times[s][i] = timeNs;
        vcpus[s][i] = (byte) vcpu;
        reasons[s][i] = (byte) (rawReason >= 0 && rawReason < 255 ? rawReason : 255);
        size = seq + 1;
        return seq;
    }

    private void grow(int s) {
        if (s >= times.length) {
            int n = times.length * 2;
            long[][] nt = Arrays.copyOf(times, n);
            byte[][] nv = Arrays.copyOf(vcpus, n);
            byte[][] nr = Arrays.copyOf(reasons, n);
            nt[s] = new long[SEG];
            nv[s] = new byte[SEG];
            nr[s] = new byte[SEG];
            vcpus = nv;
            reasons = nr;
            times = nt;
        } else {
            times[s] = new long[SEG];
            vcpus[s] = new byte[SEG];
            reasons[s] = new byte[SEG];
        }
    }

    // ---- trace readers: fill by seq in any order, then publish once ----

    /** Writes exit {@code seq}'s columns; slots never written read as vCPU {@link ExitColumns#LOST}. */
    void put(long seq, long timeNs, int vcpu, int rawReason) {
        int s = (int) (seq >>> SHIFT);
        int i = (int) (seq & MASK);
        segmentForPut(s);
        times[s][i] = timeNs;
        vcpus[s][i] = (byte) vcpu;
        reasons[s][i] = (byte) (rawReason >= 0 && rawReason < 255 ? rawReason : 255);
    }

    /** True once {@link #put} has written {@code seq}. */
    boolean isPut(long seq) {
        int s = (int) (seq >>> SHIFT);
        return s < times.length && times[s] != null && (vcpus[s][(int) (seq & MASK)] & 0xFF) != ExitColumns.LOST;
    }

    /**
     * Makes [0, n) visible after a reader's puts. Slots never written stay LOST and take the time before
     * them; a time lower than the one before is raised to it so {@link #firstAtOrAfter} stays right.
     * Returns how many times had to be raised (0 for any file vmscope wrote).
     */
    long publish(long n) {
        long raised = 0;
        long prev = 0;
        for (int s = 0; (long) s << SHIFT < n; s++) {
            room(s);
            long[] t = times[s];
            if (t == null) {
                lostTime[s] = prev;
                continue;
            }
            byte[] v = vcpus[s];
            int end = (int) Math.min(SEG, n - ((long) s << SHIFT));
            for (int i = 0; i < end; i++) {
                if ((v[i] & 0xFF) == ExitColumns.LOST) {
                    t[i] = prev;
                } else if (t[i] < prev) {
                    t[i] = prev;
                    raised++;
                }
                prev = t[i];
            }
        }
        size = n;
        return raised;
    }

    private void segmentForPut(int s) {
        room(s);
        if (times[s] == null) {
            allocated++;
            byte[] v = new byte[SEG];
            Arrays.fill(v, (byte) ExitColumns.LOST);
            byte[] r = new byte[SEG];
            Arrays.fill(r, (byte) 255);
            reasons[s] = r;
            vcpus[s] = v;
            times[s] = new long[SEG];
        }
    }

    private void room(int s) {
        if (s >= times.length) {
            int n = Math.max(times.length * 2, s + 1);
            times = Arrays.copyOf(times, n);
            vcpus = Arrays.copyOf(vcpus, n);
            reasons = Arrays.copyOf(reasons, n);
            lostTime = Arrays.copyOf(lostTime, n);
        }
    }

    @Override
    public long timeNs(long seq) {
        int s = (int) (seq >>> SHIFT);
        long[] t = times[s];
        return t == null ? lostTime[s] : t[(int) (seq & MASK)];
    }

    @Override
    public int vcpu(long seq) {
        byte[] v = vcpus[(int) (seq >>> SHIFT)];
        return v == null ? ExitColumns.LOST : v[(int) (seq & MASK)] & 0xFF;
    }

    @Override
    public int reasonCode(long seq) {
        byte[] r = reasons[(int) (seq >>> SHIFT)];
        return r == null ? 255 : r[(int) (seq & MASK)] & 0xFF;
    }

    /** The first seq at or after {@code from} (below {@code n}) in a segment that holds exits: skips lost ones fast. */
    long nextAllocated(long from, long n) {
        long s = from >>> SHIFT;
        while (((s << SHIFT) < n) && times[(int) s] == null) {
            s++;
        }
        return Math.min(n, Math.max(from, s << SHIFT));
    }

    /** Bytes of heap the columns hold. */
    long heapBytes() {
        long segs = allocated > 0 ? allocated : (size + SEG - 1) >>> SHIFT;
        return segs * SEG * 10L;
    }
}
