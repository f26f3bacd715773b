package dev.vmscope.app.ui.memory;

import dev.vmscope.app.ui.session.GuestBytes;
import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

class HexDumpTest {
    @Test
    void sixteenBytesALineWithAsciiAndHolesMarked() {
        byte[] b = new byte[40];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('A' + i);
        }
        b[1] = 0;
        BitSet ok = new BitSet();
        ok.set(0, 32);
        HexDump d = HexDump.of(new GuestBytes(0x1000, b, ok, true, "not mapped"));
        assertThat(d.lines()).isEqualTo(3);
        assertThat(d.line(0)).isEqualTo("00001000  41 00 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |A.CDEFGHIJKLMNOP|");
        assertThat(d.line(2)).startsWith("00001020  ?? ?? ?? ?? ?? ?? ?? ??").endsWith("|        |");
        assertThat(d.spans()).anyMatch(s -> s.styleClass().equals("hex-missing"));
        assertThat(HexDump.of(new GuestBytes(0xffff800000000000L, new byte[16], all(16), true, null)).line(0))
                .startsWith("ffff800000000000  00 00");
        assertThat(HexDump.hex(b, 2, 3)).isEqualTo("43 44 45");
    }

    @Test
    void narrowerLinesKeepTheAsciiColumn() {
        byte[] b = new byte[16];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) ('a' + i);
        }
        GuestBytes g = new GuestBytes(0x8000, b, all(16), true, null);
        assertThat(HexDump.of(g, 8).line(1)).isEqualTo("00008008  69 6a 6b 6c  6d 6e 6f 70  |ijklmnop|");
        assertThat(HexDump.of(g, 4).line(0)).isEqualTo("00008000  61 62 63 64  |abcd|");
        for (int n : new int[] {16, 8, 4}) {
            assertThat(HexDump.of(g, n).line(0)).hasSize(HexDump.lineChars(8, n));
        }
        assertThat(HexDump.perLineFor(g, 0)).isEqualTo(16);
        assertThat(HexDump.perLineFor(g, HexDump.lineChars(8, 16))).isEqualTo(16);
        assertThat(HexDump.perLineFor(g, HexDump.lineChars(8, 16) - 1)).isEqualTo(8);
        assertThat(HexDump.perLineFor(g, 40)).isEqualTo(4);
        assertThat(HexDump.perLineFor(g, 10)).isEqualTo(4);
    }

    @Test
    void theRunAroundAnAddressStopsAtHoles() {
        BitSet ok = new BitSet();
        ok.set(4, 10);
        GuestBytes g = new GuestBytes(0x100, new byte[16], ok, true, "x");
        assertThat(g.runAround(0x106)).containsExactly(4, 10);
        assertThat(g.runAround(0x102)).isNull();
        assertThat(g.complete()).isFalse();
    }

    private static BitSet all(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }
}
