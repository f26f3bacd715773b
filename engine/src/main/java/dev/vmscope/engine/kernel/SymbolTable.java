package dev.vmscope.engine.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value → name table of one {@code __print_symbolic(REC->field …, { value, "NAME" }, …)} in a tracepoint's
 * print format. The kernel names its exit reasons (VMX and SVM), APIC registers and emulator modes there, so
 * vmscope reads the names from the running kernel instead of keeping its own copy. Values may be written as
 * small C expressions ({@code 0x040 + 13}, {@code (1 << 0) | (1 << 2)}, {@code -1}); names as adjacent string
 * literals ({@code "APIC_" "EOI"}).
 *
 * @param field the field named in the first argument ({@code exit_reason} for {@code REC->exit_reason & 0xffff})
 * @param names value → name
 */
public record SymbolTable(String field, Map<Long, String> names) {
    private static final String MARK = "__print_symbolic(";

    public SymbolTable {
        names = Map.copyOf(names);
    }

    /** The name of {@code value}, or null. */
    public String name(long value) {
        return names.get(value);
    }

    /** Every symbol table of a print format, in order; tables it cannot read are left out. */
    static List<SymbolTable> parseAll(String printFmt) {
        List<SymbolTable> out = new ArrayList<>();
        int at = printFmt.indexOf(MARK);
        while (at >= 0) {
            int start = at + MARK.length();
            int end = closingParen(printFmt, start);
            if (end < 0) {
                break;
            }
            SymbolTable t = parseOne(printFmt.substring(start, end));
            if (t != null) {
                out.add(t);
            }
            at = printFmt.indexOf(MARK, end);
        }
        return out;
    }

    private static int closingParen(String s, int from) {
        int depth = 1;
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && s.charAt(i - 1) != '\\') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static SymbolTable parseOne(String args) {
        int brace = args.indexOf('{');
        if (brace < 0) {
            return null;
        }
        String first = args.substring(0, brace);
        int rec = first.indexOf("REC->");
        if (rec < 0) {
            return null;
        }
        int e = rec + 5;
        while (e < first.length() && (Character.isLetterOrDigit(first.charAt(e)) || first.charAt(e) == '_')) {
            e++;
        }
        String field = first.substring(rec + 5, e);
        Map<Long, String> names = new LinkedHashMap<>();
        int at = brace;
        while (at >= 0) {
            int close = args.indexOf('}', at);
            if (close < 0) {
                break;
            }
            String pair = args.substring(at + 1, close);
            int q = pair.indexOf('"');
            int comma = q < 0 ? -1 : pair.lastIndexOf(',', q);
            if (comma > 0) {
                Long value = Expr.eval(pair.substring(0, comma));
                if (value != null) {
                    names.putIfAbsent(value, literals(pair.substring(comma + 1)));
                }
            }
            at = args.indexOf('{', close);
        }
        return new SymbolTable(field, names);
    }

    /** {@code "APIC_" "EOI"} → {@code APIC_EOI}. */
    private static String literals(String s) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                in = !in;
            } else if (in) {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A tiny evaluator for the constant expressions of symbol tables: numbers, unary minus, +, -, |, <<, (). */
    private static final class Expr {
        private final String s;
        private int i;

        private Expr(String s) {
            this.s = s;
        }

        static Long eval(String text) {
            try {
                Expr x = new Expr(text);
                long v = x.or();
                x.skip();
                return x.i == x.s.length() ? v : null;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean eat(String op) {
            skip();
            if (s.startsWith(op, i)) {
                i += op.length();
                return true;
            }
            return false;
        }

        private long or() {
            long v = shift();
            while (eat("|")) {
                v |= shift();
            }
            return v;
        }

        private long shift() {
            long v = sum();
            while (eat("<<")) {
                v <<= sum();
            }
            return v;
        }

        private long sum() {
            long v = unary();
            while (true) {
                if (eat("+")) {
                    v += unary();
                } else if (eat("-")) {
                    v -= unary();
                } else {
                    return v;
                }
            }
        }

        private long unary() {
            if (eat("-")) {
                return -unary();
            }
            if (eat("(")) {
                long v = or();
                if (!eat(")")) {
                    throw new IllegalArgumentException("no )");
                }
                return v;
            }
            skip();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)))) {
                i++;
            }
            String n = s.substring(start, i).toLowerCase().replaceAll("u?l*$", "");
            return n.startsWith("0x") ? Long.parseUnsignedLong(n.substring(2), 16) : Long.parseLong(n);
        }
    }
}
