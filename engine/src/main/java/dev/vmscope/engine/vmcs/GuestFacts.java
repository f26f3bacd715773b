package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.SegmentState;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;

import java.util.Locale;

/**
 * The architectural guest state of one exit with provenance attached, shared by the VMCS and VMCB views so
 * both tell the same story. Values read from KVM are CAPTURED; recombinations are DERIVED; what this
 * snapshot level did not read is NOT_CAPTURED with the reason.
 */
final class GuestFacts {
    static final String FULL_ONLY = "read only at the full snapshot level (run with --snapshot full)";

    /** KVM's mp_state numbers (linux/kvm.h). */
    static final int MP_RUNNABLE = 0, MP_UNINITIALIZED = 1, MP_INIT_RECEIVED = 2, MP_HALTED = 3, MP_SIPI_RECEIVED = 4;

    private final ExitRecord record;
    private final GuestState s;

    GuestFacts(ExitRecord record) {
        this.record = record;
        this.s = record.state();
    }

    GuestState state() {
        return s;
    }

    boolean full() {
        return s.isFull();
    }

    KvmExit exit() {
        return record.exit();
    }

    private static String kvmName(Segment seg) {
        return seg == Segment.LDTR ? "ldt" : seg.name().toLowerCase(Locale.ROOT);
    }

    FieldValue selector(Segment seg) {
        return FieldValue.captured(s.segment(seg).selector(), "kvm_sregs." + kvmName(seg) + ".selector");
    }

    FieldValue base(Segment seg) {
        return FieldValue.captured(s.segment(seg).base(), "kvm_sregs." + kvmName(seg) + ".base");
    }

    FieldValue limit(Segment seg) {
        return FieldValue.captured(s.segment(seg).limit() & 0xFFFFFFFFL, "kvm_sregs." + kvmName(seg) + ".limit");
    }

    FieldValue vmxAccessRights(Segment seg) {
        SegmentState st = s.segment(seg);
        String how = st.unusable() ? "kvm_sregs." + kvmName(seg) + ".unusable = 1: only bit 16 is set, as KVM does"
                : "kvm_sregs." + kvmName(seg) + " type/s/dpl/present/avl/l/db/g packed as VMX access rights";
        return FieldValue.captured(st.vmxAccessRights(), how);
    }

    /** SVM has no unusable bit: KVM clears P for an unusable segment, and so does this view. */
    FieldValue svmAttributes(Segment seg) {
        SegmentState st = s.segment(seg);
        int attr = st.svmAttributes();
        if (st.unusable()) {
            return FieldValue.captured(attr & ~(1 << 7), "kvm_sregs." + kvmName(seg)
                    + " packed as SVM attributes; unusable, so P is cleared as KVM does");
        }
        return FieldValue.captured(attr, "kvm_sregs." + kvmName(seg) + " packed as SVM attributes");
    }

    FieldValue gdtrBase() {
        return FieldValue.captured(s.gdtBase(), "kvm_sregs.gdt.base");
    }

    FieldValue gdtrLimit() {
        return FieldValue.captured(s.gdtLimit(), "kvm_sregs.gdt.limit");
    }

    FieldValue idtrBase() {
        return FieldValue.captured(s.idtBase(), "kvm_sregs.idt.base");
    }

    FieldValue idtrLimit() {
        return FieldValue.captured(s.idtLimit(), "kvm_sregs.idt.limit");
    }

    FieldValue cr0() {
        return FieldValue.captured(s.cr0(), "kvm_sregs.cr0 (the guest's view; the hardware copy may have bits KVM forces, e.g. NE)");
    }

    FieldValue cr2() {
        return FieldValue.captured(s.cr2(), "kvm_sregs.cr2");
    }

    FieldValue cr3() {
        return FieldValue.captured(s.cr3(), "kvm_sregs.cr3");
    }

    FieldValue cr4() {
        return FieldValue.captured(s.cr4(), "kvm_sregs.cr4 (the guest's view; the hardware copy may have bits KVM forces, e.g. VMXE)");
    }

    FieldValue efer() {
        return FieldValue.captured(s.efer(), "kvm_sregs.efer");
    }

    FieldValue rip() {
        return FieldValue.captured(s.rip(), "kvm_regs.rip");
    }

    FieldValue rsp() {
        return FieldValue.captured(s.rsp(), "kvm_regs.rsp");
    }

    FieldValue rax() {
        return FieldValue.captured(s.rax(), "kvm_regs.rax");
    }

    FieldValue rflags() {
        return FieldValue.captured(s.rflags(), "kvm_regs.rflags");
    }

    /**
     * At a debug exit KVM copies the hardware field itself (VMCS GUEST_DR7 / VMCB DR7) into the payload, so that
     * wins; with hardware breakpoints set by the debugger it is the debugger's DR7, while kvm_debugregs holds the
     * guest's own. Otherwise kvm_debugregs at the full level.
     */
    FieldValue dr7() {
        if (record.exit() instanceof KvmExit.Debug d && d.validDr7()) {
            return FieldValue.captured(d.dr7(), "kvm_run.debug.arch.dr7: the hardware DR7 at this debug exit "
                    + "(the debugger's breakpoints when it set any)");
        }
        if (record.exit() instanceof KvmExit.Debug d) {
            return FieldValue.captured(d.dr7(), "kvm_run.debug.arch.dr7 as KVM reported it, UNRELIABLE: not a valid"
                    + " DR7 (bit 10 clear or reserved bits set), so this host's KVM left the field unset");
        }
        if (s.isFull()) {
            return FieldValue.captured(s.dr7(), "kvm_debugregs.dr7");
        }
        return FieldValue.notCaptured("DR7 comes from KVM_GET_DEBUGREGS, " + FULL_ONLY);
    }

    /** Only the VMCB has DR6. At a debug exit: the VMCB's DR6 on AMD, the #DB's DR6 bits on Intel. */
    FieldValue dr6() {
        if (record.exit() instanceof KvmExit.Debug d) {
            return FieldValue.captured(d.dr6(), "kvm_run.debug.arch.dr6 of this debug exit");
        }
        if (s.isFull()) {
            return FieldValue.captured(s.dr6(), "kvm_debugregs.dr6");
        }
        return FieldValue.notCaptured("DR6 comes from KVM_GET_DEBUGREGS, " + FULL_ONLY);
    }

    FieldValue msr(Msr m) {
        if (!s.isFull()) {
            return FieldValue.notCaptured(String.format("MSR 0x%X comes from KVM_GET_MSRS, %s", m.index, FULL_ONLY));
        }
        return FieldValue.captured(s.msr(m), String.format("MSR 0x%X (%s) via KVM_GET_MSRS", m.index, m.name()));
    }

    /**
     * VMX interruptibility: KVM's shadow bits are MOV_SS = 1, STI = 2; VMX has STI = bit 0, MOV_SS = bit 1.
     * NMI masked is bit 3, in SMM means blocking by SMI (bit 2); enclave interruption (bit 4) is not reported.
     */
    FieldValue vmxInterruptibility() {
        int shadow = s.interruptShadow();
        long v = ((shadow & 2) != 0 ? 1 : 0) | ((shadow & 1) != 0 ? 2 : 0) | (s.inSmm() ? 4 : 0) | (s.nmiMasked() ? 8 : 0);
        return FieldValue.derived(v, 1 << 4, "vcpu_events: interrupt.shadow (KVM MOV_SS=1, STI=2 swapped to VMX STI=0, MOV_SS=1), "
                + "smi.smm, nmi.masked; the enclave bit is not reported");
    }

    /** SVM has a single interrupt-shadow bit; the guest interrupt mask (bit 1) is not reported. */
    FieldValue svmIntState() {
        long v = s.interruptShadow() != 0 ? 1 : 0;
        return FieldValue.derived(v, 1 << 1, "vcpu_events interrupt.shadow (either kind) as bit 0; bit 1 is not reported");
    }

    /**
     * The VMX activity state. The view shows the guest's architectural state, not KVM's literal VMCS (KVM keeps
     * a halted vCPU out of the guest instead of entering it in HLT state): a HLT exit means the guest halted,
     * a SHUTDOWN exit means it triple-faulted, other instruction exits mean it was running; otherwise mp_state
     * (full level) decides.
     */
    FieldValue vmxActivity() {
        switch (record.reason()) {
            case HLT:
                return FieldValue.derived(1, "the guest executed HLT (KVM left the halt to user space, so mp_state still says runnable)");
            case SHUTDOWN:
                return FieldValue.derived(2, "a triple fault puts the processor in shutdown; under VMX it exits instead");
            default:
                break;
        }
        if (s.isFull()) {
            int mp = s.mpState();
            return switch (mp) {
                case MP_RUNNABLE -> FieldValue.derived(0, "mp_state RUNNABLE");
                case MP_HALTED -> FieldValue.derived(1, "mp_state HALTED");
                case MP_INIT_RECEIVED -> FieldValue.derived(3, "mp_state INIT_RECEIVED: waiting for a SIPI");
                case MP_UNINITIALIZED -> FieldValue.notApplicable("mp_state UNINITIALIZED: KVM does not run this vCPU, so it has no VMX activity state");
                case MP_SIPI_RECEIVED -> FieldValue.notApplicable("mp_state SIPI_RECEIVED: KVM resets the vCPU before it runs again");
                default -> FieldValue.notApplicable("mp_state " + mp + " has no VMX activity state");
            };
        }
        if (activeAtExit(record.exit())) {
            return FieldValue.derived(0, "the exit was caused by an instruction the guest was executing, so it was active");
        }
        return FieldValue.notCaptured("needs mp_state, " + FULL_ONLY);
    }

    /** Exits caused by an instruction or its memory access: the guest was active when it left. */
    static boolean activeAtExit(KvmExit e) {
        return switch (e.reason()) {
            case IO, X86_RDMSR, X86_WRMSR, HYPERCALL, MMIO, DEBUG, EXCEPTION -> true;
            default -> false;
        };
    }

    /** Exits caused by executing an instruction, which never interrupt the delivery of an event. */
    static boolean causedByGuestInstruction(KvmExit e) {
        return switch (e.reason()) {
            case IO, X86_RDMSR, X86_WRMSR, HLT, HYPERCALL -> true;
            default -> false;
        };
    }

    /** CPL as KVM computes it from the segment state: 0 in real mode, 3 in virtual-8086 mode, else SS.DPL. */
    FieldValue cpl() {
        if ((s.cr0() & 1) == 0) {
            return FieldValue.derived(0, "real mode (CR0.PE = 0)");
        }
        if ((s.rflags() & (1 << 17)) != 0) {
            return FieldValue.derived(3, "virtual-8086 mode (RFLAGS.VM = 1)");
        }
        return FieldValue.derived(s.segment(Segment.SS).dpl(), "SS.DPL");
    }

    /** True when the guest uses PAE paging outside long mode: the only time the PDPTE fields matter. */
    boolean paePaging() {
        return (s.cr0() & (1L << 31)) != 0 && (s.cr4() & (1 << 5)) != 0 && !s.longMode();
    }
}
