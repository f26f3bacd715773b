package dev.vmscope.engine.trace;

import dev.vmscope.engine.io.SpillFile;

import java.util.Arrays;

/**
 * {@link ExitColumns} in segments of 64 Ki exits, so growing never copies the whole run. One writer at a
 * time (the caller serialises appends); readers only look below the published size.
 *
 * <p>A trace reader fills by seq and publishes the prefix it has filled as it goes; a segment where it put no exit
 * is never allocated and reads as lost (with the time before it), so exits a damaged file lost cost no memory,
 * however many a forged seq claims.
 *
 * <p>A live run over its memory bound spills whole old segments to a {@link SpillFile} ({@link #spill}); a
 * spilled segment reads back from there, through the file's cache, so readers never tell the difference.
 */
final class ColumnStore implements ExitColumns {
    private static final int SHIFT = 16;
    private static final int SEG = 1 << SHIFT;
    private static final int MASK = SEG - 1;
    /** A segment's bytes in a spill file: times, then vCPUs, then reasons. */
    private static final int SEG_BYTES = SEG * 10;

    private volatile long[][] times = new long[16][];
    private volatile byte[][] vcpus = new byte[16][];
    private volatile byte[][] reasons = new byte[16][];
    /** For a reader's segments that were never put: the time their lost exits show. */
    private long[] lostTime = new long[16];
    private volatile long size;
    /** Segments a reader allocated (0 for a live run, where every segment below size is). */
    private long allocated;
    /** Guards the spill state below and the segment arrays' replacement while spilling. */
    private final Object spillLock = new Object();
    private SpillFile spillFile;
    /** Per segment: where it was spilled, or -1 (0 entries: nothing spilled yet). */
    private long[] spilledAt = new long[0];
    private int spilledSegments;

    /** A spilled segment as read back. */
    private record Segment(long[] times, byte[] vcpus, byte[] reasons) {
        static Segment decode(java.nio.ByteBuffer b) {
            b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
            long[] t = new long[SEG];
            b.asLongBuffer().get(t);
            byte[] v = new byte[SEG];
            byte[] r = new byte[SEG];
            b.position(SEG * 8);
            b.get(v).get(r);
            return new Segment(t, v, r);
        }
    }

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
            synchronized (spillLock) {   // a spill between the copy and the swap would be undone
                growOuter(s);
            }
        } else {
            times[s] = new long[SEG];
            vcpus[s] = new byte[SEG];
            reasons[s] = new byte[SEG];
        }
    }

    private void growOuter(int s) {
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
    }

    // ---- a live run over its memory bound (one spilling thread) ----

    /**
     * Writes segment {@code s} (whole, below the size) to {@code file} through {@code buf} (SEG_BYTES, reused)
     * and frees it. Readers find it in the file from then on.
     */
    void spill(int s, SpillFile file, java.nio.ByteBuffer buf) throws java.io.IOException {
        buf.clear().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(times[s]);
        buf.position(SEG * 8);
        buf.put(vcpus[s]).put(reasons[s]).flip();
        long at = file.append(buf);
        synchronized (spillLock) {
            if (spilledAt.length <= s) {
                int n = Math.max(s + 1, spilledAt.length * 2);
                long[] a = Arrays.copyOf(spilledAt, n);
                Arrays.fill(a, spilledAt.length, n, -1);
                spilledAt = a;
            }
            spillFile = file;
            spilledAt[s] = at;
            spilledSegments++;
            times[s] = null;
            vcpus[s] = null;
            reasons[s] = null;
        }
    }

    /** A buffer for {@link #spill}. */
    static java.nio.ByteBuffer spillBuffer() {
        return java.nio.ByteBuffer.allocate(SEG_BYTES);
    }

    /** Exits per segment: spilling moves whole segments. */
    static long segmentExits() {
        return SEG;
    }

    /** Segment {@code s} read back from the spill file, or null when it was never spilled (a reader's lost one). */
    private Segment spilled(int s) {
        SpillFile f;
        long at;
        synchronized (spillLock) {
            if (s >= spilledAt.length || spilledAt[s] < 0) {
                return null;
            }
            f = spillFile;
            at = spilledAt[s];
        }
        return f.read(at, SEG_BYTES, Segment::decode);
    }

    // ---- trace readers: fill by seq in any order, publishing the filled prefix as they go ----

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
     * Makes [size, n) visible after a reader's puts: a trace opening publishes the exits it has as it goes, then
     * the rest once at the end. Slots never written stay LOST and take the time before them; a time lower than
     * the one before is raised to it so {@link #firstAtOrAfter} stays right. What was published before is not
     * touched again (readers may be looking at it). Returns how many times had to be raised (0 for any file
     * vmscope wrote).
     */
    long publish(long n) {
        long from = size;
        if (n <= from) {
            return 0;
        }
        long raised = 0;
        long prev = from == 0 ? 0 : timeNs(from - 1);
        for (int s = (int) (from >>> SHIFT); (long) s << SHIFT < n; s++) {
            room(s);
            long[] t = times[s];
            if (t == null) {
                lostTime[s] = prev;
                continue;
            }
            byte[] v = vcpus[s];
            long base = (long) s << SHIFT;
            int end = (int) Math.min(SEG, n - base);
            for (int i = (int) Math.max(0, from - base); i < end; i++) {
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

    /** The first seq at or after {@code from} that no {@link #put} has written yet (a reader's contiguous prefix). */
    long firstUnput(long from) {
        long q = from;
        while (isPut(q)) {
            q++;
        }
        return q;
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
        if (t == null) {
            Segment g = spilled(s);
            return g == null ? lostTime[s] : g.times[(int) (seq & MASK)];
        }
        return t[(int) (seq & MASK)];
    }

    @Override
    public int vcpu(long seq) {
        int s = (int) (seq >>> SHIFT);
        byte[] v = vcpus[s];
        if (v == null) {
            Segment g = spilled(s);
            return g == null ? ExitColumns.LOST : g.vcpus[(int) (seq & MASK)] & 0xFF;
        }
        return v[(int) (seq & MASK)] & 0xFF;
    }

    @Override
    public int reasonCode(long seq) {
        int s = (int) (seq >>> SHIFT);
        byte[] r = reasons[s];
        if (r == null) {
            Segment g = spilled(s);
            return g == null ? 255 : g.reasons[(int) (seq & MASK)] & 0xFF;
        }
        return r[(int) (seq & MASK)] & 0xFF;
    }

    /** The first seq at or after {@code from} (below {@code n}) in a segment that holds exits: skips lost ones fast. */
    long nextAllocated(long from, long n) {
        long s = from >>> SHIFT;
        while (((s << SHIFT) < n) && times[(int) s] == null) {
            s++;
        }
        return Math.min(n, Math.max(from, s << SHIFT));
    }

    /** Bytes of heap the columns hold (spilled segments not counted). */
    long heapBytes() {
        long segs = allocated > 0 ? allocated : ((size + SEG - 1) >>> SHIFT) - spilledSegments;
        return segs * SEG * 10L;
    }
}
