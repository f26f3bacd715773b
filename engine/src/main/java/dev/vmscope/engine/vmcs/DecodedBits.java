package dev.vmscope.engine.vmcs;

/**
 * One bit or bit range of a decoded register or field.
 *
 * @param meaning   what the bit or range is, in a few words
 * @param known     false when vmscope could not determine these bits (the value is then 0)
 * @param valueText the value read as words (e.g. "4 bytes", "OUT"), or null for a plain flag
 * @param quietWhenZero left out of one-line summaries while zero
 * @param leads     comes first in one-line summaries: the part that decides what the value means (the port of an
 *                  I/O exit, L of a code segment), so a narrow cell shows it before anything is cut
 */
public record DecodedBits(int high, int low, String name, String meaning, long value, boolean known, String valueText,
                          boolean quietWhenZero, boolean leads) {
    /** "3" or "31:16". */
    public String range() {
        return high == low ? Integer.toString(low) : high + ":" + low;
    }

    /** A single bit without value words: shown by name when set. */
    public boolean isFlag() {
        return high == low && valueText == null;
    }

    /** The short form used in one-line summaries; null for a clear flag. */
    public String summaryToken() {
        if (!known) {
            return name + "=?";
        }
        if (isFlag() || (quietWhenZero && value == 0)) {
            return value != 0 ? name : null;
        }
        return name + "=" + (valueText != null ? valueText : "0x" + Long.toHexString(value));
    }
}
