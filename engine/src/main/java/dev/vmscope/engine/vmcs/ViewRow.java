package dev.vmscope.engine.vmcs;

/**
 * One row of a VMCS or VMCB view, in the terms both renderers and the UI need.
 *
 * @param location encoding ({@code 0x681E}) or VMCB offset ({@code 0x400+0x178})
 * @param bits     how many bits the value has, for formatting
 * @param decoded  the value bit by bit, or null when there is no value or no layout
 */
public record ViewRow(String location, String name, int bits, String width, String area, FieldValue value,
                      Decoded decoded, String description) {

    /** Hex with all digits of the field; a nibble with unknown bits shows as '?'. */
    public String valueText() {
        return ValueFormat.hex(value, bits);
    }

    /** The decoded summary, or "" when there is none. */
    public String decodedText() {
        return decoded == null ? "" : decoded.summary();
    }
}
