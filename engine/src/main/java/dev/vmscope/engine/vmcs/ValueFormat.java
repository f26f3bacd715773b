package dev.vmscope.engine.vmcs;

/** How field values are written in tables and JSON. */
public final class ValueFormat {
    /** Shown for a field without a value. */
    public static final String NONE = "—";

    private ValueFormat() {
    }

    /** {@code 0x0000000000001005}; nibbles holding unknown bits become '?'; no value gives {@link #NONE}. */
    public static String hex(FieldValue v, int bits) {
        if (!v.hasValue()) {
            return NONE;
        }
        int digits = Math.max(1, (bits + 3) / 4);
        StringBuilder b = new StringBuilder(digits + 2).append("0x");
        for (int i = digits - 1; i >= 0; i--) {
            long nibbleMask = 0xFL << (4 * i);
            if ((v.unknownMask() & nibbleMask) != 0) {
                b.append('?');
            } else {
                b.append(Character.toUpperCase(Character.forDigit((int) ((v.value() >>> (4 * i)) & 0xF), 16)));
            }
        }
        return b.toString();
    }
}
