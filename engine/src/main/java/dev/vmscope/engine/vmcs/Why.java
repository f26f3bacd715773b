package dev.vmscope.engine.vmcs;

/** The reasons the catalogue gives for fields vmscope cannot show, written once. */
final class Why {
    private Why() {
    }

    static final String KVM_CONTROL = "KVM's own VMCS control: KVM programs it in the kernel and no ioctl returns it";
    static final String KVM_ADDRESS = "a host-physical address of a structure KVM allocated in the kernel; never given to user space";
    static final String HOST = "KVM's host (kernel) state, reloaded by the CPU on every VM exit; no ioctl returns it";
    static final String APICV = "APIC-virtualisation state that KVM keeps in the kernel (KVM_GET_LAPIC shows the APIC page, not this field)";
    static final String NESTED = "used only when the guest itself runs VMX or for features KVM drives alone; kept in the kernel";
    static final String SMM = "saved only for SMIs under the dual-monitor SMM treatment, which KVM never exposes";
    static final String VMX_ERROR = "reports errors of KVM's own VMX instructions; KVM handles them in the kernel";
    static final String GUEST_INTERNAL = "guest state KVM keeps in the kernel; no ioctl returns this field";
    static final String FRED_DATA = "FRED event data KVM reads and writes in the kernel around event delivery";

    /** Where the hardware's own exit information can be had (appended to the exit fields' sources). */
    static final String KVM_EXIT_WHERE = " on hosts that emit it (VT-x, AMD-V), with --kernel-events";

    static String msrNotRead(int msr, String name) {
        return String.format("MSR 0x%X (%s) is readable with KVM_GET_MSRS, but vmscope does not capture it", msr, name);
    }
}
