package dev.vmscope.engine.kernel;

/**
 * Decodes one ring-buffer page as {@code per_cpu/cpuN/trace_pipe_raw} hands it out: the page's timestamp,
 * its commit word (data length plus the missed-events flags), then events, each a 32-bit header
 * (type_len, time_delta) and its data. Every length comes from the page and is checked against it; a
 * damaged page ends its own decoding, never the reader.
 *
 * <ul>
 *   <li>type_len 1 … max: data of type_len × 4 bytes follows the header;</li>
 *   <li>type_len 0: the next 32-bit word holds the data length + 4, the data follows it;</li>
 *   <li>padding: time_delta 0 means the rest of the page is empty; otherwise the next word says how many
 *       bytes a discarded event leaves to skip;</li>
 *   <li>time extend: the next word holds the upper bits of a delta too large for 27 bits;</li>
 *   <li>time stamp: an absolute timestamp (its top bits, dropped by the kernel, are taken from the page's);</li>
 *   <li>{@link RingBufferLayout#MISSED_EVENTS}: events were lost before this page; with
 *       {@link RingBufferLayout#MISSED_STORED} their number sits after the data.</li>
 * </ul>
 */
public final class RingBufferPageDecoder {
    /** Bits the kernel keeps of an absolute timestamp; the rest come from the page's timestamp. */
    private static final long TS_MSB = 0xF8L << 56;

    /** Receives what a page holds, in order. */
    public interface Sink {
        /** One event: its absolute timestamp (trace clock) and its record, {@code length} bytes at {@code at}. */
        void event(long timestamp, byte[] page, int at, int length);

        /** Events lost before this page; {@code count} is -1 when the kernel did not say how many. */
        default void missed(long count) {
        }
    }

    private final RingBufferLayout layout;
    private final long typeMask;

    public RingBufferPageDecoder(RingBufferLayout layout) {
        this.layout = layout;
        this.typeMask = (1L << layout.typeLenBits()) - 1;
    }

    public RingBufferLayout layout() {
        return layout;
    }

    /**
     * Decodes {@code length} bytes at {@code page[0..]} (one page, or a shorter read of one).
     *
     * @return the number of events delivered
     */
    public int decode(byte[] page, int length, Sink sink) {
        RingBufferLayout l = layout;
        if (length < l.dataOffset()) {
            return 0;
        }
        long ts = word(page, l.timestampOffset(), 8);
        long commit = word(page, l.commitOffset(), l.commitSize());
        long flags = commit & (RingBufferLayout.MISSED_EVENTS | RingBufferLayout.MISSED_STORED);
        int dataLength = (int) Math.min(commit & ~flags & 0x3FFFFFFFL, length - l.dataOffset());
        int end = l.dataOffset() + dataLength;
        if ((flags & RingBufferLayout.MISSED_EVENTS) != 0) {
            long count = -1;
            if ((flags & RingBufferLayout.MISSED_STORED) != 0 && end + 8 <= length) {
                count = word(page, end, 8);
            }
            sink.missed(count);
        }
        int events = 0;
        int at = l.dataOffset();
        while (at + 4 <= end) {
            long header = word(page, at, 4);
            int type = (int) (header & typeMask);
            long delta = header >>> l.typeLenBits();
            if (type == l.paddingType()) {
                if (delta == 0 || at + 8 > end) {
                    break;   // the rest of the page is empty
                }
                long skip = word(page, at + 4, 4);
                if (skip <= 0 || at + 4 + skip > end) {
                    break;
                }
                ts += delta;
                at += 4 + (int) skip;
            } else if (type == l.timeExtendType()) {
                if (at + 8 > end) {
                    break;
                }
                ts += (word(page, at + 4, 4) << l.timeDeltaBits()) + delta;
                at += 8;
            } else if (type == l.timeStampType()) {
                if (at + 8 > end) {
                    break;
                }
                long abs = (word(page, at + 4, 4) << l.timeDeltaBits()) + delta;
                ts = fixAbsolute(abs, ts);
                at += 8;
            } else if (type == 0) {
                if (at + 8 > end) {
                    break;
                }
                long len = word(page, at + 4, 4) - 4;
                if (len < 0 || at + 8 + len > end) {
                    break;
                }
                ts += delta;
                sink.event(ts, page, at + 8, (int) len);
                events++;
                at += 8 + (int) ((len + 3) & ~3L);
            } else if (type <= l.maxDataType()) {
                int len = type * 4;
                if (at + 4 + len > end) {
                    break;
                }
                ts += delta;
                sink.event(ts, page, at + 4, len);
                events++;
                at += 4 + len;
            } else {
                break;   // a type this kernel's header_event does not describe
            }
        }
        return events;
    }

    /** The kernel stores 59 bits of an absolute timestamp; the top bits come from the time so far. */
    private static long fixAbsolute(long abs, long saved) {
        if ((saved & TS_MSB) != 0) {
            abs |= saved & TS_MSB;
            if (Long.compareUnsigned(abs, saved) < 0) {
                abs += 1L << 59;
            }
        }
        return abs;
    }

    /** A little-endian unsigned word of 4 or 8 bytes. */
    static long word(byte[] b, int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
