package dev.vmscope.app.ui.disasm;

import dev.vmscope.engine.debug.Disassembler;
import dev.vmscope.engine.symbols.SymbolTable;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Listing} as text, one instruction a line ({@code ▶ 0000100c  ee                      out dx, al}),
 * with the style spans the view colours it with. Where a guest symbol starts, a label line ({@code putc:})
 * comes before the instruction, and a call or jump target is named ({@code call 0x10009b <putc>}), as objdump
 * does. Pure, so tests read exactly what the view shows.
 *
 * @param text    the lines joined with '\n'
 * @param spans   style classes over ranges of {@code text}, in order, not overlapping
 * @param current the line of the instruction at RIP, or -1
 */
public record ListingText(String text, List<AsmHighlighter.Span> spans, int current) {
    /** Bytes shown per instruction before "…". */
    static final int MAX_BYTES = 8;
    public static final String MARK = "▶ ";
    public static final String NO_MARK = "  ";

    public static ListingText of(Listing l) {
        return of(l, SymbolTable.EMPTY);
    }

    public static ListingText of(Listing l, SymbolTable symbols) {
        StringBuilder b = new StringBuilder();
        List<AsmHighlighter.Span> spans = new ArrayList<>();
        int width = l.bits() == 64 ? 16 : 8;
        int line = 0;
        int current = -1;
        for (int i = 0; i < l.lines().size(); i++) {
            Disassembler.Insn in = l.lines().get(i);
            String label = symbols.label(in.address());
            if (label != null) {
                newLine(b, line++);
                int at = b.length();
                b.append(label).append(':');
                spans.add(new AsmHighlighter.Span(at, b.length(), "asm-label"));
            }
            newLine(b, line);
            if (i == l.current()) {
                current = line;
            }
            line++;
            int lineStart = b.length();
            b.append(i == l.current() ? MARK : NO_MARK);
            if (i == l.current()) {
                spans.add(new AsmHighlighter.Span(lineStart, lineStart + 1, "asm-marker"));
            }
            int a = b.length();
            b.append(String.format("%0" + width + "x", in.address()));
            spans.add(new AsmHighlighter.Span(a, b.length(), "asm-address"));
            b.append("  ");
            int bs = b.length();
            b.append(bytes(in.bytes()));
            spans.add(new AsmHighlighter.Span(bs, b.length(), "asm-bytes"));
            pad(b, bs + MAX_BYTES * 3 + 1);
            int m = b.length();
            b.append(in.mnemonic());
            spans.add(new AsmHighlighter.Span(m, b.length(),
                    in.mnemonic().equals("(bad)") ? "asm-bad" : "asm-mnemonic"));
            if (!in.operands().isEmpty()) {
                b.append(' ');
                spans.addAll(AsmHighlighter.operands(in.operands(), b.length()));
                b.append(in.operands());
            }
            String target = in.target().isPresent() ? symbols.suffix(in.target().getAsLong()) : "";
            if (!target.isEmpty()) {   // " <putc>": the space stays unstyled
                int at = b.length() + 1;
                b.append(target);
                spans.add(new AsmHighlighter.Span(at, b.length(), "asm-label"));
            }
        }
        return new ListingText(b.toString(), List.copyOf(spans), current);
    }

    private static void newLine(StringBuilder b, int line) {
        if (line > 0) {
            b.append('\n');
        }
    }

    static String bytes(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(bytes.length, MAX_BYTES); i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(String.format("%02x", bytes[i] & 0xFF));
        }
        if (bytes.length > MAX_BYTES) {
            b.append('…');
        }
        return b.toString();
    }

    private static void pad(StringBuilder b, int to) {
        while (b.length() < to) {
            b.append(' ');
        }
    }

    /** Line {@code i} of the text. */
    public String line(int i) {
        return text.split("\n", -1)[i];
    }
}
