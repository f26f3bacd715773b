package dev.vmscope.engine.vmcs;

/**
 * What the catalogue says about where a field's value comes from at best (a view may still say
 * "not captured at this level" or "not applicable to this exit").
 *
 * @param text the source (e.g. {@code kvm_sregs.cr0}) or, for fields without a value, the reason
 */
public record FieldSource(Provenance provenance, String text) {
    public FieldSource {
        if (provenance == Provenance.NOT_APPLICABLE) {
            throw new IllegalArgumentException("the catalogue describes sources; 'not applicable' is per exit");
        }
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a field source needs text");
        }
    }

    static FieldSource captured(String from) {
        return new FieldSource(Provenance.CAPTURED, from);
    }

    static FieldSource derived(String how) {
        return new FieldSource(Provenance.DERIVED, how);
    }

    static FieldSource notCaptured(String why) {
        return new FieldSource(Provenance.NOT_CAPTURED, why);
    }

    static FieldSource notVisible(String why) {
        return new FieldSource(Provenance.NOT_VISIBLE, why);
    }
}
