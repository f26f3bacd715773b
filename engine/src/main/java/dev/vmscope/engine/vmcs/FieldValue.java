package dev.vmscope.engine.vmcs;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * One field's value in a view, with where it came from. Only {@link Provenance#CAPTURED} and
 * {@link Provenance#DERIVED} carry a value; the others carry only the reason there is none, which the
 * constructor enforces so no view can ever show an invented number.
 *
 * @param unknownMask bits of {@code value} vmscope could not determine (reported as 0 in {@code value})
 * @param note        the source for a value (e.g. {@code kvm_regs.rip}), or why there is no value
 */
public record FieldValue(Provenance provenance, long value, long unknownMask, String note) {
    public FieldValue {
        Objects.requireNonNull(provenance, "provenance");
        note = note == null ? "" : note;
        if (!provenance.hasValue()) {
            if (value != 0 || unknownMask != 0) {
                throw new IllegalArgumentException(provenance + " carries no value");
            }
            if (note.isBlank()) {
                throw new IllegalArgumentException(provenance + " needs a reason");
            }
        }
        value &= ~unknownMask;
    }

    public static FieldValue captured(long value, String source) {
        return new FieldValue(Provenance.CAPTURED, value, 0, source);
    }

    public static FieldValue derived(long value, String how) {
        return new FieldValue(Provenance.DERIVED, value, 0, how);
    }

    public static FieldValue derived(long value, long unknownMask, String how) {
        return new FieldValue(Provenance.DERIVED, value, unknownMask, how);
    }

    public static FieldValue notCaptured(String why) {
        return new FieldValue(Provenance.NOT_CAPTURED, 0, 0, why);
    }

    public static FieldValue notApplicable(String why) {
        return new FieldValue(Provenance.NOT_APPLICABLE, 0, 0, why);
    }

    public static FieldValue notVisible(String why) {
        return new FieldValue(Provenance.NOT_VISIBLE, 0, 0, why);
    }

    public boolean hasValue() {
        return provenance.hasValue();
    }

    /** The value when there is one. */
    public OptionalLong valueIfPresent() {
        return hasValue() ? OptionalLong.of(value) : OptionalLong.empty();
    }

    /** Whether every bit of the value is known. */
    public boolean fullyKnown() {
        return hasValue() && unknownMask == 0;
    }

    /** The same value cut to {@code bits} (16, 32 or 64). */
    public FieldValue truncated(int bits) {
        if (!hasValue() || bits >= 64) {
            return this;
        }
        long m = (1L << bits) - 1;
        return new FieldValue(provenance, value & m, unknownMask & m, note);
    }

    /** The upper 32 bits, as a HIGH access reads them. */
    public FieldValue high() {
        if (!hasValue()) {
            return this;
        }
        return new FieldValue(provenance, value >>> 32, unknownMask >>> 32, note);
    }

    /** Same value and same unknown bits (provenance and notes aside); two missing values are the same. */
    public boolean sameValueAs(FieldValue o) {
        if (hasValue() != o.hasValue()) {
            return false;
        }
        return !hasValue() || (value == o.value && unknownMask == o.unknownMask);
    }
}
