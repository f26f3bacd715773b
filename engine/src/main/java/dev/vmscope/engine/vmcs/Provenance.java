package dev.vmscope.engine.vmcs;

/**
 * Where a value in a VMCS- or VMCB-shaped view comes from. KVM never shows user space the real control
 * structure, so every value says how vmscope knows it, and values it cannot know are never shown.
 */
public enum Provenance {
    /** Read from KVM at this exit (kvm_regs, kvm_sregs, vcpu events, debug registers, MSRs, the exit payload). */
    CAPTURED("captured", true),
    /** Computed from captured data, e.g. an exit qualification rebuilt from a KVM I/O exit. */
    DERIVED("derived", true),
    /** User space could read it, but this snapshot did not (snapshot level, or vmscope never reads it). */
    NOT_CAPTURED("not captured", false),
    /** The architecture leaves the field undefined in this situation (e.g. guest-physical address at an I/O exit). */
    NOT_APPLICABLE("not applicable", false),
    /** KVM keeps it in the kernel: no ioctl returns it. */
    NOT_VISIBLE("not visible", false);

    private final String label;
    private final boolean hasValue;

    Provenance(String label, boolean hasValue) {
        this.label = label;
        this.hasValue = hasValue;
    }

    /** Lower-case words for tables and JSON. */
    public String label() {
        return label;
    }

    /** Whether a field with this provenance carries a value. */
    public boolean hasValue() {
        return hasValue;
    }
}
