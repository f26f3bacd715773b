package dev.vmscope.app.ui.memory;

import dev.vmscope.app.ui.disasm.AsmHighlighter.Span;
import dev.vmscope.app.ui.session.GuestBytes;

import java.util.ArrayList;
import java.util.List;

/**
 * Guest bytes as a classic hex dump, 16 a line: address, two groups of eight, ASCII.
 * {@code 00001000  fc be 1b 10 ba f8 03 ac  84 c0 74 03 ee eb f8 fa  |..........t.....|}. In a narrow pane 8 or 4
 * a line ({@link #perLineFor}), so the ASCII column stays in view. Bytes that could not be read show as
 * {@code ??}. Pure; the view colours it with {@link #spans}.
 */
public record HexDump(String text, List<Span> spans, int lines, int perLine) {
    public static final int PER_LINE = 16;
    /** The narrower lines, widest first. */
    private static final int[] NARROWER = {8, 4};

    public static HexDump of(GuestBytes g) {
        return of(g, PER_LINE);
    }

    /**
     * The most bytes a line (16, 8 or 4) whose whole line, ASCII column included, is at most {@code columns}
     * characters long ({@code columns} of 0 or less: no limit); 4 when even that is longer.
     */
    public static int perLineFor(GuestBytes g, int columns) {
        int digits = addressDigits(g);
        if (columns <= 0 || lineChars(digits, PER_LINE) <= columns) {
            return PER_LINE;
        }
        for (int n : NARROWER) {
            if (lineChars(digits, n) <= columns) {
                return n;
            }
        }
        return NARROWER[NARROWER.length - 1];
    }

    /** The characters of a line: address, two spaces, the bytes (a space after each, one between the halves), ASCII. */
    static int lineChars(int addressDigits, int perLine) {
        return addressDigits + 2 + 3 * perLine + (perLine >= 8 ? 1 : 0) + 2 + perLine + 1;
    }

    private static int addressDigits(GuestBytes g) {
        long last = g.address() + Math.max(0, g.length() - 1);
        return Long.compareUnsigned(last, 0xFFFFFFFFL) > 0 ? 16 : 8;
    }

    /** The dump with {@code perLine} bytes a line (in two halves from 8 up). */
    public static HexDump of(GuestBytes g, int perLine) {
        StringBuilder b = new StringBuilder();
        List<Span> spans = new ArrayList<>();
        int width = addressDigits(g);
        int half = perLine >= 8 ? perLine / 2 : -1;
        int lines = 0;
        for (int off = 0; off < g.length(); off += perLine) {
            if (off > 0) {
                b.append('\n');
            }
            lines++;
            int a = b.length();
            b.append(String.format("%0" + width + "x", g.address() + off));
            spans.add(new Span(a, b.length(), "hex-address"));
            b.append("  ");
            int n = Math.min(perLine, g.length() - off);
            for (int i = 0; i < perLine; i++) {
                if (i == half) {
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
        return new HexDump(b.toString(), List.copyOf(spans), lines, perLine);
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
