package dev.vmscope.app.ui.disasm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simple syntax colouring for the disassembly's operand text: registers, numbers and size keywords, as style
 * class spans. Pure (no RichTextFX), so the rules can be tested plainly.
 */
public final class AsmHighlighter {
    /** A styled range {@code [start, end)} of a line. */
    public record Span(int start, int end, String styleClass) {
    }

    private static final Pattern TOKENS = Pattern.compile(
            "(?<reg>\\b(?:[re]?[abcd]x|[abcd][lh]|[re]?[sd]il?|[re]?[sb]pl?|r(?:[89]|1[0-5])[dwb]?|[c-gs]s"
                    + "|cr[0-9]|dr[0-7]|[xyz]mm[0-9]{1,2}|mm[0-7]|k[0-7]|st[0-7]?|[re]?ip|tr[0-7])\\b)"
                    + "|(?<num>\\b0x[0-9a-f]+\\b|\\b[0-9]+\\b)"
                    + "|(?<kw>\\b(?:byte|word|dword|qword|tword|oword|xmmword|ymmword|zmmword|far|near|short|ptr)\\b)");

    private AsmHighlighter() {
    }

    /** Spans for operand text {@code operands}, offset by {@code at} (where it starts in the line). */
    public static List<Span> operands(String operands, int at) {
        List<Span> out = new ArrayList<>();
        Matcher m = TOKENS.matcher(operands);
        while (m.find()) {
            String cls = m.group("reg") != null ? "asm-register" : m.group("num") != null ? "asm-number" : "asm-keyword";
            out.add(new Span(at + m.start(), at + m.end(), cls));
        }
        return out;
    }
}
