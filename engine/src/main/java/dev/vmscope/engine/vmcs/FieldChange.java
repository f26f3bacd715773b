package dev.vmscope.engine.vmcs;

/** One VMCS field that differs between two views. */
public record FieldChange(VmcsField field, FieldValue before, FieldValue after) {
    /** {@code GUEST_RIP 0x...1000 -> 0x...1002}. */
    public String text() {
        int bits = field.width().bits;
        return field.name() + " " + ValueFormat.hex(before, bits) + " -> " + ValueFormat.hex(after, bits);
    }
}
