package dev.vmscope.engine.vmcs;

import java.util.Objects;

/** One VMCS encoding: a field read in full, or the upper 32 bits of a 64-bit field. */
public record FieldRef(VmcsField field, AccessType access) {
    public FieldRef {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(access, "access");
        if (access == AccessType.HIGH && !field.hasHighHalf()) {
            throw new IllegalArgumentException(field + " has no high half");
        }
    }

    public static FieldRef full(VmcsField field) {
        return new FieldRef(field, AccessType.FULL);
    }

    public int encoding() {
        return field.encoding(access);
    }

    /** {@code GUEST_IA32_EFER} or {@code GUEST_IA32_EFER_HIGH}. */
    public String name() {
        return access == AccessType.HIGH ? field.name() + "_HIGH" : field.name();
    }

    /** The width a VMREAD with this encoding returns. */
    public Width width() {
        return access == AccessType.HIGH ? Width.BITS32 : field.width();
    }
}
