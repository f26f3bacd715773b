package dev.vmscope.engine.exit;

import dev.vmscope.engine.sys.KvmRunLayout;

import java.util.Arrays;

/**
 * The exit a vCPU thread just captured, in reusable arrays (one instance per vCPU, overwritten at every
 * exit: nothing is allocated on the hot path). Listeners read it during their callback only; {@link #toRecord()}
 * makes an immutable copy when one is needed.
 */
public final class CapturedExit {
    public static final int MAX_IO_DATA = 4096;

    public long seq;
    public int vcpu;
    public long timeNs;
    public long guestNs;
    public int rawReason;
    /** Kept words of the exit union (KvmExitReason.payloadWords of them). */
    public final long[] payload = new long[17];
    /** I/O data (size*count bytes, capped at {@link #MAX_IO_DATA}). */
    public final byte[] ioData = new byte[MAX_IO_DATA];
    public int ioLength;
    /** Guest state words, laid out by {@link StateLayout}. */
    public final long[] state = new long[StateLayout.WORDS];

    public KvmExitReason reason() {
        return KvmExitReason.of(rawReason);
    }

    public long rip() {
        return state[StateLayout.RIP];
    }

    /** I/O: port; valid only when reason() is IO. */
    public int ioPort() {
        return KvmRunLayout.ioPort(payload[0]);
    }

    public boolean ioOut() {
        return KvmRunLayout.ioOut(payload[0]);
    }

    public int ioSize() {
        return KvmRunLayout.ioSize(payload[0]);
    }

    public int ioCount() {
        return (int) KvmRunLayout.ioCount(payload[0]);
    }

    /** MMIO: guest-physical address; valid only when reason() is MMIO. */
    public long mmioAddress() {
        return payload[KvmRunLayout.MMIO_WORD_ADDRESS];
    }

    public boolean mmioWrite() {
        return KvmRunLayout.mmioWrite(payload[KvmRunLayout.MMIO_WORD_LENGTH]);
    }

    /** MSR exits: the MSR index. */
    public int msrIndex() {
        return KvmRunLayout.msrIndex(payload[KvmRunLayout.MSR_WORD_REASON_INDEX]);
    }

    /** DEBUG: DR6 as KVM reported it. */
    public long debugDr6() {
        return payload[KvmRunLayout.DEBUG_WORD_DR6];
    }

    public KvmExit decodeExit() {
        int n = KvmExitReason.of(rawReason).payloadWords;
        return ExitUnionDecoder.decode(rawReason, Arrays.copyOf(payload, n),
                rawReason == KvmExitReason.IO.code ? Arrays.copyOf(ioData, ioLength) : null);
    }

    public ExitRecord toRecord() {
        return new ExitRecord(seq, vcpu, timeNs, guestNs, decodeExit(), new GuestState(state));
    }
}
