package dev.vmscope.engine.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ring-buffer pages built by hand in the layout of this kernel's header_page and header_event (or, where
 * tracefs is not readable, the same texts as this host's 6.18 kernel): data events of both length encodings,
 * time extends, absolute timestamps, padding, the missed-events flags, and damaged pages.
 */
class RingBufferPageDecoderTest {
    private static final String HEADER_PAGE = """
            \tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;
            \tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;
            \tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;
            \tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;
            """;
    private static final String HEADER_EVENT = """
            # compressed entry header
            \ttype_len    :    5 bits
            \ttime_delta  :   27 bits
            \tarray       :   32 bits

            \tpadding     : type == 29
            \ttime_extend : type == 30
            \ttime_stamp : type == 31
            \tdata max type_len  == 28
            """;

    private static RingBufferLayout layout() throws IOException {
        Path events = Path.of("/sys/kernel/tracing/events");
        if (Files.isReadable(events.resolve("header_page"))) {
            return RingBufferLayout.parse(Tracefs.read(events.resolve("header_page")),
                    Tracefs.read(events.resolve("header_event")));
        }
        return RingBufferLayout.parse(HEADER_PAGE, HEADER_EVENT);
    }

    /** Writes a page the way the kernel does. */
    private static final class Page {
        final RingBufferLayout l;
        final ByteBuffer b;
        int at;

        Page(RingBufferLayout l, long timestamp) {
            this.l = l;
            b = ByteBuffer.allocate(l.pageSize()).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(l.timestampOffset(), timestamp);
            at = l.dataOffset();
        }

        void header(int type, long delta) {
            b.putInt(at, (int) (type | delta << l.typeLenBits()));
            at += 4;
        }

        Page data(long delta, int marker, int bytes) {
            if (bytes <= l.maxDataType() * 4 && bytes % 4 == 0) {
                header(bytes / 4, delta);
            } else {
                header(0, delta);
                b.putInt(at, bytes + 4);
                at += 4;
            }
            b.putInt(at, marker);
            at += (bytes + 3) & ~3;
            return this;
        }

        Page extend(long delta) {
            header(l.timeExtendType(), delta & ((1L << l.timeDeltaBits()) - 1));
            b.putInt(at, (int) (delta >>> l.timeDeltaBits()));
            at += 4;
            return this;
        }

        Page absolute(long ts) {
            header(l.timeStampType(), ts & ((1L << l.timeDeltaBits()) - 1));
            b.putInt(at, (int) (ts >>> l.timeDeltaBits()));
            at += 4;
            return this;
        }

        Page discarded(long delta, int bytes) {
            header(l.paddingType(), delta);
            b.putInt(at, bytes);
            at += bytes;
            return this;
        }

        Page fillRest() {
            header(l.paddingType(), 0);
            return this;
        }

        byte[] commit(long flags, Long missed) {
            int length = at - l.dataOffset();
            if (missed != null) {
                b.putLong(at, missed);
            }
            b.putLong(l.commitOffset(), length | flags);
            return b.array();
        }
    }

    private record Seen(long ts, int marker, int length) {
    }

    private static List<Seen> decode(RingBufferLayout l, byte[] page, int length, long[] missed) {
        List<Seen> out = new ArrayList<>();
        new RingBufferPageDecoder(l).decode(page, length, new RingBufferPageDecoder.Sink() {
            @Override
            public void event(long timestamp, byte[] p, int at, int len) {
                out.add(new Seen(timestamp, ByteBuffer.wrap(p, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), len));
            }

            @Override
            public void missed(long count) {
                missed[0] = count;
            }
        });
        return out;
    }

    @Test
    void smallAndLargeEventsWithDeltas() throws IOException {
        RingBufferLayout l = layout();
        byte[] p = new Page(l, 1_000).data(5, 1, 24).data(7, 2, 200).data(0, 3, 8).commit(0, null);
        assertThat(decode(l, p, p.length, new long[] {-2})).containsExactly(
                new Seen(1_005, 1, 24), new Seen(1_012, 2, 200), new Seen(1_012, 3, 8));
    }

    @Test
    void timeExtendsAndAbsoluteTimestamps() throws IOException {
        RingBufferLayout l = layout();
        long big = 5_000_000_000L;   // 5 s: far beyond 27 bits of delta
        byte[] p = new Page(l, 100).data(1, 1, 12).extend(big).data(2, 2, 12)
                .absolute(1_700_000_000_123L).data(3, 3, 12).commit(0, null);
        assertThat(decode(l, p, p.length, new long[1])).containsExactly(new Seen(101, 1, 12),
                new Seen(101 + big + 2, 2, 12), new Seen(1_700_000_000_126L, 3, 12));
    }

    @Test
    void paddingOfDiscardedEventsIsSkippedAndNullPaddingEndsThePage() throws IOException {
        RingBufferLayout l = layout();
        byte[] p = new Page(l, 0).data(1, 1, 12).discarded(1, 16).data(1, 2, 12).fillRest().data(1, 3, 12)
                .commit(0, null);
        assertThat(decode(l, p, p.length, new long[1])).extracting(Seen::marker).containsExactly(1, 2);
    }

    @Test
    void missedEventsAreReportedWithTheirCountOrAsUnknown() throws IOException {
        RingBufferLayout l = layout();
        long[] missed = {0};
        byte[] p = new Page(l, 0).data(1, 1, 12).commit(RingBufferLayout.MISSED_EVENTS | RingBufferLayout.MISSED_STORED, 4242L);
        assertThat(decode(l, p, p.length, missed)).hasSize(1);
        assertThat(missed[0]).isEqualTo(4242);
        missed[0] = 0;
        p = new Page(l, 0).data(1, 1, 12).commit(RingBufferLayout.MISSED_EVENTS, null);
        assertThat(decode(l, p, p.length, missed)).hasSize(1);
        assertThat(missed[0]).as("lost, number unknown").isEqualTo(-1);
    }

    @Test
    void damagedPagesEndTheirOwnDecodingOnly() throws IOException {
        RingBufferLayout l = layout();
        Page page = new Page(l, 0).data(1, 1, 12);
        int bad = page.at;
        page.data(1, 2, 300);
        byte[] p = page.commit(0, null);
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putInt(bad + 4, 0x7FFF_FFF0);   // a length past the page
        assertThat(decode(l, p, p.length, new long[1])).extracting(Seen::marker).containsExactly(1);
        // a commit longer than what was read, and a short read
        ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN).putLong(l.commitOffset(), 0x3FFF_FFFFL);
        assertThat(decode(l, p, 40, new long[1])).hasSizeLessThanOrEqualTo(1);
        assertThat(decode(l, p, 3, new long[1])).isEmpty();
    }
}
