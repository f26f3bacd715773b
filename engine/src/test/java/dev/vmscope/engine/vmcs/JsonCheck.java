package dev.vmscope.engine.vmcs;

/** A strict JSON syntax check (RFC 8259 grammar) for tests; throws with the offset of the first error. */
final class JsonCheck {
    private final String s;
    private int i;

    private JsonCheck(String s) {
        this.s = s;
    }

    static void validate(String json) {
        JsonCheck c = new JsonCheck(json);
        c.ws();
        c.value();
        c.ws();
        if (c.i != json.length()) {
            throw c.error("trailing text");
        }
    }

    private IllegalArgumentException error(String what) {
        int from = Math.max(0, i - 30);
        return new IllegalArgumentException(what + " at " + i + ": ..." + s.substring(from, Math.min(s.length(), i + 30)));
    }

    private void ws() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private void expect(char c) {
        if (i >= s.length() || s.charAt(i) != c) {
            throw error("expected '" + c + "'");
        }
        i++;
    }

    private void value() {
        if (i >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> number();
        }
    }

    private void object() {
        expect('{');
        ws();
        if (s.charAt(i) == '}') {
            i++;
            return;
        }
        while (true) {
            ws();
            string();
            ws();
            expect(':');
            ws();
            value();
            ws();
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            expect('}');
            return;
        }
    }

    private void array() {
        expect('[');
        ws();
        if (s.charAt(i) == ']') {
            i++;
            return;
        }
        while (true) {
            ws();
            value();
            ws();
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            expect(']');
            return;
        }
    }

    private void string() {
        expect('"');
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return;
            }
            if (c < 0x20) {
                throw error("control character in string");
            }
            if (c == '\\') {
                char e = s.charAt(i++);
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(s.charAt(i++), 16) < 0) {
                            throw error("bad \\u escape");
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw error("bad escape");
                }
            }
        }
        throw error("unterminated string");
    }

    private void literal(String word) {
        if (!s.startsWith(word, i)) {
            throw error("expected " + word);
        }
        i += word.length();
    }

    private void number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || ".eE+-".indexOf(s.charAt(i)) >= 0)) {
            i++;
        }
        if (i == start || !Character.isDigit(s.charAt(i - 1))) {
            throw error("bad number");
        }
    }
}
