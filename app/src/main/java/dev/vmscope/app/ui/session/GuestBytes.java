package dev.vmscope.app.ui.session;

import dev.vmscope.engine.debug.DebugSession;

import java.util.BitSet;

/**
 * A window of guest memory read page by page, so one unmapped page or the end of RAM leaves a hole instead of
 * losing the whole window: {@link #readable} says which bytes came back, {@link #error} why the first hole is
 * there. Built on the control thread ({@link #read}); immutable and safe to hand to the FX thread after.
 *
 * @param address  the first byte's address (linear or guest-physical, see {@code linear})
 * @param data     the bytes; holes are 0
 * @param readable which bytes were read
 * @param linear   true when {@code address} went through the vCPU's page tables
 * @param error    the engine's message for the first byte that could not be read, or null
 */
public record GuestBytes(long address, byte[] data, BitSet readable, boolean linear, String error) {
    private static final int PAGE = 0x1000;

    /** Reads a piece of memory that lies within one page; throws when it cannot. */
    @FunctionalInterface
    public interface PageReader {
        byte[] read(long address, int length);
    }

    /** Reads {@code length} bytes at {@code address}; linear through {@code vcpu}'s page tables. Control thread. */
    public static GuestBytes read(DebugSession d, int vcpu, boolean linear, long address, int length) {
        return read(linear ? (at, n) -> d.readLinear(vcpu, at, n) : d::readPhysical, linear, address, length);
    }

    /** Reads {@code length} bytes at {@code address} page by page through {@code memory}; holes where it throws. */
    public static GuestBytes read(PageReader memory, boolean linear, long address, int length) {
        byte[] out = new byte[length];
        BitSet ok = new BitSet(length);
        String error = null;
        int done = 0;
        while (done < length) {
            long at = address + done;
            int chunk = (int) Math.min(length - done, PAGE - (at & (PAGE - 1)));
            try {
                byte[] b = memory.read(at, chunk);
                System.arraycopy(b, 0, out, done, chunk);
                ok.set(done, done + chunk);
            } catch (RuntimeException e) {
                if (error == null) {
                    error = e.getMessage() != null ? e.getMessage() : e.toString();
                }
            }
            done += chunk;
        }
        return new GuestBytes(address, out, ok, linear, error);
    }

    public int length() {
        return data.length;
    }

    public boolean readable(int offset) {
        return readable.get(offset);
    }

    /** True when every byte came back. */
    public boolean complete() {
        return readable.cardinality() == data.length;
    }

    /**
     * The longest run of readable bytes that contains {@code at} (an address), as {start offset, end offset};
     * null when {@code at} itself could not be read.
     */
    public int[] runAround(long at) {
        long off = at - address;
        if (off < 0 || off >= data.length || !readable.get((int) off)) {
            return null;
        }
        int start = readable.previousClearBit((int) off) + 1;
        int end = readable.nextClearBit((int) off);
        return new int[]{start, Math.min(end, data.length)};
    }
}
