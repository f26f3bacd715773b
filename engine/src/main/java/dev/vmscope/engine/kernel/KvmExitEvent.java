package dev.vmscope.engine.kernel;

/**
 * A {@code kvm:kvm_exit} event's values: what the CPU itself wrote into the VMCS (VT-x) or VMCB (AMD-V) at a
 * VM exit, as KVM read them. This is the only way user space learns the hardware's exit reason, qualification
 * and interruption information, so the VMCS inspector shows these as captured, not derived.
 *
 * @param vmx        true on VT-x ({@code isa} = 1), false on AMD-V
 * @param reason     VMX: the full exit reason (basic reason in bits 15:0, bit 31 = entry failed); SVM: EXITCODE
 * @param reasonName the running kernel's name for it ({@code IO_INSTRUCTION}, {@code io}), or the number
 * @param rip        the guest's RIP at the exit
 * @param info1      VMX: exit qualification; SVM: EXITINFO1
 * @param info2      VMX: guest-physical address on EPT exits (else KVM's second info word); SVM: EXITINFO2
 * @param intrInfo   VMX: VM-exit interruption information; SVM: EXITINTINFO
 * @param errorCode  VMX: VM-exit interruption error code; SVM: its error code word
 * @param vcpu       the vCPU ({@code vcpu_id})
 */
public record KvmExitEvent(boolean vmx, long reason, String reasonName, long rip, long info1, long info2,
        long intrInfo, long errorCode, int vcpu) {

    /** The basic exit reason (VMX bits 15:0; SVM the whole code). */
    public int basicReason() {
        return vmx ? (int) (reason & 0xFFFF) : (int) reason;
    }

    /** VMX: bit 31 of the exit reason, a failed VM entry. */
    public boolean failedEntry() {
        return vmx && (reason & 0x8000_0000L) != 0;
    }

    /** Reads a {@code kvm_exit} event; the print format's first exit_reason table is VMX's, the second SVM's. */
    public static KvmExitEvent of(KernelEvent e) {
        if (!e.name().equals("kvm_exit")) {
            throw new IllegalArgumentException(e.name() + " is not kvm_exit");
        }
        boolean vmx = e.number("isa") == 1;
        long reason = e.number("exit_reason") & 0xFFFFFFFFL;
        long key = vmx ? reason & 0xFFFF : reason;
        String name = e.symbol("exit_reason", vmx ? 0 : 1, key);
        if (name == null && !vmx) {
            name = e.symbol("exit_reason", 1, (int) reason);   // SVM's table writes the invalid code as -1
        }
        if (name == null) {
            name = Long.toString(vmx ? reason & 0xFFFF : reason);
        }
        return new KvmExitEvent(vmx, reason, name, e.number("guest_rip"), e.number("info1"), e.number("info2"),
                e.number("intr_info") & 0xFFFFFFFFL, e.number("error_code") & 0xFFFFFFFFL, e.vcpu());
    }
}
