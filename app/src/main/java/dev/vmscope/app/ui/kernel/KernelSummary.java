package dev.vmscope.app.ui.kernel;

import dev.vmscope.engine.kernel.KernelEvents;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Which kinds of kernel event ({@link KernelPalette}) happened among a vCPU's events k0 … k1-1, answered in
 * time that does not grow with the number of events, so a timeline column over 17,000 emulated instructions
 * costs what one over three does. Per vCPU: each event's kind (one byte, read from the event's type without
 * decoding it) and the OR of the kinds over aligned blocks of 16, 256, 4096 and 65,536 events.
 *
 * <p>One thread {@link #extend extends} it (a background worker, as the live reader publishes); any thread may
 * {@link #kinds query} up to {@link #built(int)} at the same time. Block masks are ORed in as events arrive,
 * so a partly filled block is already right for the events it has.
 */
public final class KernelSummary {
    static final int SHIFT = 4;
    static final int LEVELS = 4;

    private final KernelEvents events;
    private final Lane[] lanes;
    private final Map<String, Byte> kindOfName = new HashMap<>();

    private static final class Lane {
        /** kind per event, then the block masks per level; replaced (grown) before {@link #built} moves. */
        volatile byte[][] data = new byte[LEVELS + 1][64];
        volatile long built;
    }

    public KernelSummary(KernelEvents events, int vcpus) {
        this.events = events;
        this.lanes = new Lane[Math.max(1, vcpus)];
        for (int v = 0; v < lanes.length; v++) {
            lanes[v] = new Lane();
        }
    }

    public KernelEvents events() {
        return events;
    }

    public int vcpus() {
        return lanes.length;
    }

    /** Events of vCPU {@code v} summarised so far. */
    public long built(int v) {
        return v < 0 || v >= lanes.length ? 0 : lanes[v].built;
    }

    /** True when every published event is summarised. */
    public boolean complete() {
        for (int v = 0; v < lanes.length; v++) {
            if (lanes[v].built < events.countOf(v)) {
                return false;
            }
        }
        return true;
    }

    /** Summarises what was published since the last call; one thread at a time. Returns whether anything was new. */
    public synchronized boolean extend() {
        boolean any = false;
        for (int v = 0; v < lanes.length; v++) {
            Lane lane = lanes[v];
            long from = lane.built;
            long to = events.countOf(v);
            if (to <= from) {
                continue;
            }
            byte[][] d = grow(lane.data, to);
            for (long k = from; k < to; k++) {
                int kind = kindOf(events.name(events.indexOf(v, k)));
                d[0][(int) k] = (byte) kind;
                for (int l = 1; l <= LEVELS; l++) {
                    d[l][(int) (k >>> (SHIFT * l))] |= (byte) (1 << kind);
                }
            }
            lane.data = d;
            lane.built = to;
            any = true;
        }
        return any;
    }

    private static byte[][] grow(byte[][] d, long size) {
        if (size <= d[0].length) {
            return d;
        }
        long cap = Math.max(size, (long) d[0].length * 2);
        if (cap > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("more than 2^31 kernel events on one vCPU");
        }
        byte[][] n = new byte[LEVELS + 1][];
        for (int l = 0; l <= LEVELS; l++) {
            n[l] = Arrays.copyOf(d[l], (int) (cap >>> (SHIFT * l)) + 1);
        }
        return n;
    }

    private int kindOf(String name) {
        Byte b = kindOfName.get(name);
        if (b == null) {
            b = (byte) KernelPalette.of(name).ordinal();
            kindOfName.put(name, b);
        }
        return b;
    }

    /** The kind of vCPU {@code v}'s event k (k &lt; built(v)). */
    public KernelPalette kind(int v, long k) {
        return KernelPalette.values()[lanes[v].data[0][(int) k]];
    }

    /**
     * The kinds among vCPU {@code v}'s events {@code k0} … {@code k1}-1 (clipped to what is built), as a bit
     * mask of {@link KernelPalette} ordinals. At most about 2·15 steps per level.
     */
    public int kinds(int v, long k0, long k1) {
        Lane lane = lanes[v];
        long end = Math.min(k1, lane.built);
        byte[][] d = lane.data;
        int m = 0;
        long k = Math.max(0, k0);
        while (k < end) {
            int l = LEVELS;
            while (l > 0 && ((k & ((1L << (SHIFT * l)) - 1)) != 0 || k + (1L << (SHIFT * l)) > end)) {
                l--;
            }
            if (l == 0) {
                m |= 1 << d[0][(int) k];
                k++;
            } else {
                m |= d[l][(int) (k >>> (SHIFT * l))] & 0xFF;
                k += 1L << (SHIFT * l);
            }
        }
        return m;
    }
}
