package dev.vmscope.app.ui.memory;

import dev.vmscope.app.ui.disasm.AsmHighlighter.Span;
import dev.vmscope.app.ui.session.GuestBytes;

import java.util.ArrayList;
import java.util.List;

/**
 * Guest bytes as a classic hex dump, 16 a line: address, two groups of eight, ASCII.
 * {@code 00001000  fc be 1b 10 ba f8 03 ac  84 c0 74 03 ee eb f8 fa  |..........t.....|}. Bytes that could not
 * be read show as {@code ??}. Pure; the view colours it with {@link #spans}.
 */
public record HexDump(String text, List<Span> spans, int lines) {
    public static final int PER_LINE = 16;

    public static HexDump of(GuestBytes g) {
        StringBuilder b = new StringBuilder();
        List<Span> spans = new ArrayList<>();
        long last = g.address() + Math.max(0, g.length() - 1);
        int width = Long.compareUnsigned(last, 0xFFFFFFFFL) > 0 ? 16 : 8;
        int lines = 0;
        for (int off = 0; off < g.length(); off += PER_LINE) {
            if (off > 0) {
                b.append('\n');
            }
            lines++;
            int a = b.length();
            b.append(String.format("%0" + width + "x", g.address() + off));
            spans.add(new Span(a, b.length(), "hex-address"));
            b.append("  ");
            int n = Math.min(PER_LINE, g.length() - off);
            for (int i = 0; i < PER_LINE; i++) {
                if (i == 8) {
                    b.append(' ');
                }
                if (i < n) {
                    int s = b.length();
                    if (g.readable(off + i)) {
                        int v = g.data()[off + i] & 0xFF;
                        b.append(String.format("%02x", v));
                        if (v == 0) {
                            spans.add(new Span(s, b.length(), "hex-zero"));
                        }
                    } else {
                        b.append("??");
                        spans.add(new Span(s, b.length(), "hex-missing"));
                    }
                } else {
                    b.append("  ");
                }
                b.append(' ');
            }
            b.append(" |");
            int s = b.length();
            for (int i = 0; i < n; i++) {
                int v = g.data()[off + i] & 0xFF;
                b.append(!g.readable(off + i) ? ' ' : v >= 0x20 && v < 0x7F ? (char) v : '.');
            }
            spans.add(new Span(s, b.length(), "hex-ascii"));
            b.append('|');
        }
        return new HexDump(b.toString(), List.copyOf(spans), lines);
    }

    /** Line {@code i}. */
    public String line(int i) {
        return text.split("\n", -1)[i];
    }

    /** The hex of {@code bytes} as a dump line spells it within a group ({@code "fc be 1b"}). */
    public static String hex(byte[] bytes, int from, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(String.format("%02x", bytes[from + i] & 0xFF));
        }
        return b.toString();
    }
}
