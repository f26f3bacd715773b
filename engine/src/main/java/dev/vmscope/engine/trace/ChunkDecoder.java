package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.sys.KvmRunLayout;

/**
 * Decodes the exits of one chunk in order. Every length is checked against what is left of the chunk, so
 * a damaged chunk ends in {@link CorruptDataException}, never in a huge allocation.
 */
public final class ChunkDecoder {
    private final ByteReader in;
    private final int vcpu;
    private final long[] state = new long[StateLayout.WORDS];
    private long seq = -1;
    private long time;
    private CapturedExit scratch;
    /** The buffer {@link #nextIntoReused} filled last: its snapshot equals {@link #state} until the next exit. */
    private CapturedExit reused;

    public ChunkDecoder(int vcpu, byte[] data, int length) {
        this.vcpu = vcpu;
        this.in = new ByteReader(data, 0, length);
    }

    public ChunkDecoder(Chunk c) {
        this(c.vcpu(), c.data(), c.data().length);
    }

    public boolean hasNext() {
        return in.hasMore();
    }

    /** Decodes the next exit. */
    public ExitRecord next() {
        if (scratch == null) {
            scratch = new CapturedExit();
        }
        nextInto(scratch);
        return scratch.toRecord();
    }

    /**
     * Decodes the next exit into {@code e} (seq, vCPU, times, reason, payload words, I/O data, snapshot),
     * allocating nothing: for readers that walk millions of exits. Bad data ends in {@link CorruptDataException}.
     */
    public void nextInto(CapturedExit e) {
        reused = null;
        decode(e, FULL);
    }

    /**
     * Like {@link #nextInto}, for a caller that passes the same buffer on every call and only reads it in between
     * (a scan's reused buffer): after the first exit, only the snapshot words an exit changes are written into it,
     * not all of them. Copying the whole snapshot per exit was a fifth of a text filter's pass over a big trace.
     */
    public void nextIntoReused(CapturedExit e) {
        boolean same = reused == e;
        reused = e;
        decode(e, same ? DELTAS : FULL);
    }

    /**
     * Checks and steps over the next exit, filling only {@code e}'s seq, vCPU, times and reason: what a trace
     * reader needs to validate a chunk and build its columns. Every byte is parsed exactly as
     * {@link #nextInto} would; payload, I/O data and snapshot are not kept (and the snapshot is not tracked,
     * so do not mix this with {@link #next} on one decoder).
     */
    void skim(CapturedExit e) {
        reused = null;
        decode(e, SKIM);
    }

    /** What {@link #decode} writes into the exit: all of it; all but unchanged snapshot words; what columns need. */
    private static final int FULL = 0;
    private static final int DELTAS = 1;
    private static final int SKIM = 2;

    private void decode(CapturedExit e, int how) {
        boolean full = how != SKIM;
        long raw = in.varint();
        if (raw > Integer.MAX_VALUE) {
            throw new CorruptDataException("exit reason " + raw + " out of range");
        }
        int rawReason = (int) raw;
        seq += in.varint();
        time += Varint.unzigzag(in.varint());
        long guestNs = in.varint();
        KvmExitReason reason = KvmExitReason.of(rawReason);
        long[] payload = e.payload;
        if (full) {
            e.ioLength = 0;
        }
        if (reason == KvmExitReason.IO) {
            int flags = in.u8();
            int size = (flags >>> 1) & 0xF;
            long port = in.varint() & 0xFFFF;
            boolean single = (flags & ExitEncoder.IO_SINGLE) != 0;
            long count = single ? 1 : in.varint() & 0xFFFFFFFFL;
            payload[0] = KvmRunLayout.ioWord((flags & 1) != 0, size, (int) port, count);
            int n = single ? size : in.length(CapturedExit.MAX_IO_DATA);
            if (full) {
                in.bytesInto(e.ioData, n);
                e.ioLength = n;
            } else {
                in.bytesSkip(n);
            }
        } else {
            for (int i = 0; i < reason.payloadWords; i++) {
                long w = in.varint();
                if (full) {
                    payload[i] = w;
                }
            }
        }
        long mask0 = in.varint();
        long mask1 = in.varint();
        if ((mask1 >>> (StateLayout.WORDS - 64)) != 0) {
            throw new CorruptDataException("state mask names words beyond the snapshot");
        }
        if (full) {
            long[] out = how == DELTAS ? e.state : state;   // DELTAS: each changed word into the buffer too
            for (long m = mask0; m != 0; m &= m - 1) {
                int i = Long.numberOfTrailingZeros(m);
                out[i] = state[i] += Varint.unzigzag(in.varint());
            }
            for (long m = mask1; m != 0; m &= m - 1) {
                int i = 64 + Long.numberOfTrailingZeros(m);
                out[i] = state[i] += Varint.unzigzag(in.varint());
            }
            if (how == FULL) {
                System.arraycopy(state, 0, e.state, 0, StateLayout.WORDS);
            }
        } else {
            for (int k = Long.bitCount(mask0) + Long.bitCount(mask1); k > 0; k--) {
                in.varint();
            }
        }
        e.seq = seq;
        e.vcpu = vcpu;
        e.timeNs = time;
        e.guestNs = guestNs;
        e.rawReason = rawReason;
    }
}
