package dev.vmscope.engine.kernel;

import java.util.Arrays;

/**
 * Events read from one CPU's buffer that are not yet in the store: kept in reused arrays (no object per
 * event) until every CPU has been read past their time, so the store receives all CPUs' events merged in
 * time order. A vCPU thread that migrates between CPUs leaves its events in two buffers; this is where they
 * meet again.
 */
final class CpuStaging implements RingBufferPageDecoder.Sink {
    long[] time = new long[1024];
    int[] start = new int[1024];
    int[] length = new int[1024];
    byte[] bytes = new byte[64 * 1024];
    int count;
    int head;
    int used;
    long missed;
    boolean missedUnknown;

    @Override
    public void event(long timestamp, byte[] page, int at, int len) {
        if (count == time.length) {
            time = Arrays.copyOf(time, count * 2);
            start = Arrays.copyOf(start, count * 2);
            length = Arrays.copyOf(length, count * 2);
        }
        if (used + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + len));
        }
        System.arraycopy(page, at, bytes, used, len);
        time[count] = timestamp;
        start[count] = used;
        length[count] = len;
        used += len;
        count++;
    }

    @Override
    public void missed(long n) {
        if (n < 0) {
            missedUnknown = true;
        } else {
            missed += n;
        }
    }

    boolean hasNext() {
        return head < count;
    }

    long nextTime() {
        return time[head];
    }

    /** Drops what was taken; moves the rest to the front (done once per round, not per event). */
    void compact() {
        if (head == 0) {
            return;
        }
        int rest = count - head;
        int from = rest > 0 ? start[head] : used;
        System.arraycopy(bytes, from, bytes, 0, used - from);
        for (int i = 0; i < rest; i++) {
            time[i] = time[head + i];
            start[i] = start[head + i] - from;
            length[i] = length[head + i];
        }
        used -= from;
        count = rest;
        head = 0;
    }
}
