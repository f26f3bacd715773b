package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.sys.KvmRunLayout;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Appends one vCPU's exits to a chunk in the compact encoding (see {@code docs/vmtrace-format.md}): every
 * field is a delta against the previous exit of the chunk, and unchanged state words cost one bit.
 * Called only from that vCPU's thread; the hot path allocates nothing (buffers grow, rarely).
 *
 * <p>Readers on other threads see the open chunk through {@link #openChunk()}: bytes below the published
 * length are never rewritten.
 */
final class ExitEncoder {
    static final int MAX_EXITS_PER_CHUNK = 4096;
    static final int MAX_CHUNK_BYTES = 256 * 1024;
    /** I/O flags byte: bit 0 OUT, bits 1-4 size, this bit: one element, data = size bytes. */
    static final int IO_SINGLE = 0x80;
    /** Worst case of one exit: header, payload, 4 KiB of I/O data, every state word changed. */
    private static final int MAX_EXIT_BYTES = 64 + 17 * 10 + CapturedExit.MAX_IO_DATA + 20 + StateLayout.WORDS * 10;

    /** The chunk being written; a new instance per chunk, so a reader never mixes two chunks. */
    static final class Open {
        final long firstSeq;
        volatile byte[] buf;
        volatile int length;
        volatile int count;
        volatile long lastSeq;

        Open(long firstSeq, int capacity) {
            this.firstSeq = firstSeq;
            this.buf = new byte[capacity];
        }
    }

    private final int vcpu;
    private final Consumer<Chunk> sealed;
    private final long[] prev = new long[StateLayout.WORDS];
    private long prevSeq;
    private long prevTime;
    private volatile Open open;
    private byte[] buf;
    private int pos;
    private int count;
    /** The size the next chunk's buffer starts at: about what the last one needed, so it rarely grows. */
    private int nextCapacity = 16 * 1024;
    /** Set by another thread (a trace writer's timer): seal the open chunk after the next exit. */
    private volatile boolean sealRequested;
    /** The asking thread's view at its last request: which open chunk, how many exits, since when. */
    private Open askedOpen;
    private int askedCount;
    private long askedAt;
    private boolean woken;

    ExitEncoder(int vcpu, Consumer<Chunk> sealed) {
        this.vcpu = vcpu;
        this.sealed = sealed;
    }

    Open openChunk() {
        return open;
    }

    void append(CapturedExit e) {
        if (open == null) {
            start(e.seq);
        }
        if (buf.length - pos < MAX_EXIT_BYTES) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + MAX_EXIT_BYTES));
            open.buf = buf;
        }
        byte[] b = buf;
        int p = pos;
        p = Varint.write(b, p, e.rawReason & 0xFFFFFFFFL);
        p = Varint.write(b, p, e.seq - prevSeq);
        p = Varint.write(b, p, Varint.zigzag(e.timeNs - prevTime));
        p = Varint.write(b, p, e.guestNs);
        prevSeq = e.seq;
        prevTime = e.timeNs;

        if (e.rawReason == KvmExitReason.IO.code) {
            long w = e.payload[0];
            int size = KvmRunLayout.ioSize(w);
            long count = KvmRunLayout.ioCount(w);
            boolean single = count == 1 && e.ioLength == size;   // the common case: no count, no length
            b[p++] = (byte) ((KvmRunLayout.ioOut(w) ? 1 : 0) | (size << 1) | (single ? IO_SINGLE : 0));
            p = Varint.write(b, p, KvmRunLayout.ioPort(w));
            if (!single) {
                p = Varint.write(b, p, count);
                p = Varint.write(b, p, e.ioLength);
            }
            System.arraycopy(e.ioData, 0, b, p, e.ioLength);
            p += e.ioLength;
        } else {
            int n = KvmExitReason.of(e.rawReason).payloadWords;
            for (int i = 0; i < n; i++) {
                p = Varint.write(b, p, e.payload[i]);
            }
        }

        long[] s = e.state;
        long[] old = prev;
        long mask0 = 0;
        for (int i = 0; i < 64; i++) {
            if (s[i] != old[i]) {
                mask0 |= 1L << i;
            }
        }
        long mask1 = 0;
        for (int i = 64; i < StateLayout.WORDS; i++) {
            if (s[i] != old[i]) {
                mask1 |= 1L << (i - 64);
            }
        }
        p = Varint.write(b, p, mask0);
        p = Varint.write(b, p, mask1);
        for (long m = mask0; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            p = Varint.write(b, p, Varint.zigzag(s[i] - old[i]));
            old[i] = s[i];
        }
        for (long m = mask1; m != 0; m &= m - 1) {
            int i = 64 + Long.numberOfTrailingZeros(m);
            p = Varint.write(b, p, Varint.zigzag(s[i] - old[i]));
            old[i] = s[i];
        }
        pos = p;
        count++;
        Open o = open;
        o.lastSeq = e.seq;
        o.count = count;
        o.length = p;   // publish last: readers trust bytes below it

        if (count >= MAX_EXITS_PER_CHUNK || pos >= MAX_CHUNK_BYTES || sealRequested) {
            seal();
        }
    }

    /**
     * Asks this encoder to seal its open chunk at its next exit (one asking thread: a trace writer's timer).
     * A no-op when nothing is open, so an idle vCPU does not later seal a one-exit chunk for nothing.
     *
     * <p>Returns true, once per quiet spell, when the open chunk has not grown for {@code quietNanos} since
     * the first request found it so: the vCPU takes no exits (it spins in the guest) and will not seal by
     * itself, so its owner must wake it. Telling that from the chunk's count here costs the exit path
     * nothing (no clock read per exit).
     */
    synchronized boolean requestSeal(long nowNanos, long quietNanos) {
        Open o = open;
        if (o == null) {
            askedOpen = null;
            return false;
        }
        int c = o.count;
        if (o != askedOpen || c != askedCount) {
            askedOpen = o;
            askedCount = c;
            askedAt = nowNanos;
            woken = false;
            sealRequested = true;
            return false;
        }
        if (!woken && nowNanos - askedAt >= quietNanos) {
            woken = true;
            return true;
        }
        return false;
    }

    /** Closes the open chunk (if it holds any exit) and hands it on. */
    void seal() {
        sealRequested = false;
        Open o = open;
        if (o == null || count == 0) {
            return;
        }
        Chunk c = new Chunk(vcpu, o.firstSeq, o.lastSeq, count, Arrays.copyOf(buf, pos));
        // a fresh buffer per chunk (readers may still hold this one), sized so that the largest chunk so far
        // fits without growing (chunks sealed early by a flush do not shrink it): growing by doubling from
        // 16 KiB cost four times the chunk in allocations
        nextCapacity = Math.max(nextCapacity, Math.min(pos + pos / 8, MAX_CHUNK_BYTES) + MAX_EXIT_BYTES);
        sealed.accept(c);
        open = null;
    }

    private void start(long firstSeq) {
        Arrays.fill(prev, 0);
        prevSeq = -1;
        prevTime = 0;
        pos = 0;
        count = 0;
        buf = new byte[nextCapacity];
        Open o = new Open(firstSeq, 0);
        o.buf = buf;
        open = o;
    }
}
