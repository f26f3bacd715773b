package dev.vmscope.app.ui.registers;

/**
 * One line of the register pane. {@code header} rows name a group; {@code available} false marks state
 * that was not captured at this exit (greyed, {@code note} says why); {@code changed} marks a value that
 * differs from the previous exit of the same vCPU.
 */
public record RegisterRow(String name, long value, int bits, String decoded, boolean changed, boolean available,
                          boolean header, String note) {

    public static RegisterRow header(String title) {
        return new RegisterRow(title, 0, 0, "", false, true, true, "");
    }

    public static RegisterRow value(String name, long value, int bits, String decoded, boolean changed) {
        return new RegisterRow(name, value, bits, decoded, changed, true, false, "");
    }

    public static RegisterRow unavailable(String name, String note) {
        return new RegisterRow(name, 0, 0, note, false, false, false, note);
    }

    /** The value as shown: hex padded to the register's width, or unsigned decimal. */
    public String format(boolean hex) {
        if (header || !available) {
            return header ? "" : "—";
        }
        if (hex) {
            int digits = Math.max(1, (bits + 3) / 4);
            String h = Long.toHexString(value);
            StringBuilder b = new StringBuilder("0x");
            for (int i = h.length(); i < digits; i++) {
                b.append('0');
            }
            return b.append(h).toString();
        }
        return Long.toUnsignedString(value);
    }
}
