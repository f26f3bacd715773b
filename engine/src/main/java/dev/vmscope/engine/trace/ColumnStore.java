package dev.vmscope.engine.trace;

import java.util.Arrays;

/**
 * {@link ExitColumns} in segments of 64 Ki exits, so growing never copies the whole run. One writer at a
 * time (the caller serialises appends); readers only look below the published size.
 */
final class ColumnStore implements ExitColumns {
    private static final int SHIFT = 16;
    private static final int SEG = 1 << SHIFT;
    private static final int MASK = SEG - 1;

    private volatile long[][] times = new long[16][];
    private volatile byte[][] vcpus = new byte[16][];
    private volatile byte[][] reasons = new byte[16][];
    private volatile long size;

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

    @Override
    public long timeNs(long seq) {
        return times[(int) (seq >>> SHIFT)][(int) (seq & MASK)];
    }

    @Override
    public int vcpu(long seq) {
        return vcpus[(int) (seq >>> SHIFT)][(int) (seq & MASK)] & 0xFF;
    }

    @Override
    public int reasonCode(long seq) {
        return reasons[(int) (seq >>> SHIFT)][(int) (seq & MASK)] & 0xFF;
    }

    /** Bytes of heap the columns hold. */
    long heapBytes() {
        long segs = (size + SEG - 1) >>> SHIFT;
        return segs * SEG * 10L;
    }
}
