package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

import static dev.vmscope.engine.vmcs.VmcsField.GUEST_LINEAR_ADDRESS;
import static dev.vmscope.engine.vmcs.VmcsField.GUEST_PHYSICAL_ADDRESS;
import static dev.vmscope.engine.vmcs.VmcsField.VM_EXIT_INSTRUCTION_LEN;
import static dev.vmscope.engine.vmcs.VmcsField.VM_EXIT_INTR_ERROR_CODE;
import static dev.vmscope.engine.vmcs.VmcsField.VM_EXIT_INTR_INFO;
import static dev.vmscope.engine.vmcs.VmcsField.VM_INSTRUCTION_ERROR;

/**
 * Restates a KVM exit as the VMX exit and SVM #VMEXIT behind it. Everything here is DERIVED: KVM reports
 * only its own exit reason and payload. What the payload does not say (REP, DX or immediate, instruction
 * length) comes from the instruction bytes at RIP when the caller has them, and is marked unknown otherwise.
 *
 * <p>Note on RIP: KVM has already stepped past some instructions when their exit reaches user space (HLT, an OUT
 * on its fast path, an MMIO write it completed) and waits at others (IN, MMIO reads, RDMSR/WRMSR): callers pass
 * the bytes of the exiting instruction, wherever it is, as {@link InstructionBytes} finds them.
 */
public final class ExitInfoMapper {
    static final String NO_BYTES = "no instruction bytes at RIP were supplied";

    private ExitInfoMapper() {
    }

    /**
     * Where to read the instruction bytes for {@link #map}: the linear address of CS:RIP (CS base ignored in
     * 64-bit mode, wrapped to 32 bits outside it). Translate it with the guest's page tables when paging is on.
     */
    public static long instructionLinearAddress(GuestState s) {
        return s.codeLinearAddress();
    }

    public static ExitInfo map(ExitRecord record, byte[] instructionBytes) {
        return map(record.exit(), record.state(), instructionBytes);
    }

    /** @param instructionBytes up to 15 bytes read at the guest's RIP, or null when not available */
    public static ExitInfo map(KvmExit exit, GuestState state, byte[] instructionBytes) {
        ExitInfo.Builder b = new ExitInfo.Builder(exit);
        if (exit instanceof KvmExit.Io io) {
            IoExits.map(b, io, state, instructionBytes);
        } else if (exit instanceof KvmExit.Mmio m) {
            mmio(b, m, instructionBytes);
        } else if (exit instanceof KvmExit.Msr m) {
            msr(b, m, state, instructionBytes);
        } else if (exit instanceof KvmExit.Debug d) {
            debug(b, d, state);
        } else if (exit instanceof KvmExit.Exception e) {
            exception(b, e.exception(), e.errorCode(), state, "kvm_run.ex");
        } else if (exit instanceof KvmExit.FailEntry f) {
            failEntry(b, f);
        } else if (exit instanceof KvmExit.Hypercall) {
            hypercall(b, state, instructionBytes);
        } else if (exit instanceof KvmExit.InternalError e) {
            internalError(b, e);
        } else if (exit instanceof KvmExit.SystemEvent e) {
            b.noVmx("KVM reports a platform event it decided on (" + e.detail() + "), not a processor exit");
            b.noSvm("KVM reports a platform event it decided on, not a processor exit");
        } else if (exit instanceof KvmExit.Simple s) {
            simple(b, s, state);
        }
        return b.build();
    }

    // --- MMIO ------------------------------------------------------------------------------------------------

    private static void mmio(ExitInfo.Builder b, KvmExit.Mmio m, byte[] code) {
        b.vmx(VmxExitReasons.EPT_VIOLATION, "KVM_EXIT_MMIO: a guest-physical address with no memory behind it");
        long q = (m.write() ? 2 : 1) | 1 << 7 | 1 << 8;
        long unknown = 0x38 | 1 << 6 | 0x7 << 9 | 1 << 12;
        b.qualification(FieldValue.derived(q, unknown, "kvm_run.mmio.is_write gives read/write; linear-address valid and "
                + "translated assume an instruction's data access (not a page walk); page permissions, advanced "
                + "information and NMI unblocking are not reported"), BitDecoders.EPT_VIOLATION_QUALIFICATION);
        b.vmcs(GUEST_PHYSICAL_ADDRESS, FieldValue.derived(m.address(), "kvm_run.mmio.phys_addr"));
        b.vmcs(GUEST_LINEAR_ADDRESS, FieldValue.notVisible("KVM does not report the linear address of an MMIO access"));
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.notApplicable("not saved for EPT violations"));
        b.noEventInfo();
        b.note("Once KVM has marked a page as MMIO in its EPT tables, later accesses arrive as EPT_MISCONFIG (49) "
                + "instead; user space cannot tell which of the two happened.");

        b.svm(SvmExitCodes.NPF);
        long i1 = (m.write() ? 2 : 0) | 4 | 1L << 32;
        b.vmcb(VmcbField.EXIT_INFO_1, FieldValue.derived(i1, 1 | 8, "#NPF error code: write from kvm_run.mmio, user "
                + "(guest accesses count as user), final translation; present and reserved-bit depend on KVM's tables"));
        b.vmcb(VmcbField.EXIT_INFO_2, FieldValue.derived(m.address(), "kvm_run.mmio.phys_addr"));
        b.vmcb(VmcbField.INSN_LEN, code != null
                ? FieldValue.derived(Math.min(code.length, X86Decoder.MAX_LENGTH), "bytes vmscope was given at RIP, at most 15")
                : FieldValue.notCaptured(NO_BYTES));
    }

    // --- MSR, HLT, hypercall: instructions of fixed length ----------------------------------------------------

    private static void msr(ExitInfo.Builder b, KvmExit.Msr m, GuestState s, byte[] code) {
        b.vmx(m.write() ? VmxExitReasons.MSR_WRITE : VmxExitReasons.MSR_READ, m.write() ? "KVM_EXIT_X86_WRMSR" : "KVM_EXIT_X86_RDMSR");
        b.qualification(FieldValue.derived(0, "not used for RDMSR/WRMSR (cleared)"), null);
        FieldValue len = fixedLength(code, s.codeBits(), m.write() ? new int[]{0x0F, 0x30} : new int[]{0x0F, 0x32},
                m.write() ? "WRMSR is 0F 30" : "RDMSR is 0F 32");
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, len);
        b.noEventInfo().notDuringDelivery();
        b.note(String.format("MSR 0x%X reached user space because %s.", m.index(), msrExitWhy(m.filterReason())));

        b.svm(SvmExitCodes.MSR);
        b.vmcb(VmcbField.EXIT_INFO_1, FieldValue.derived(m.write() ? 1 : 0, "0 = RDMSR, 1 = WRMSR"));
        b.vmcb(VmcbField.NEXT_RIP, nextRip(s, len));
    }

    private static String msrExitWhy(int reason) {
        return switch (reason) {
            case 1 -> "KVM would have injected #GP (invalid access)";
            case 2 -> "KVM does not know the MSR";
            case 4 -> "the MSR filter denies the access";
            default -> "of KVM exit reason " + reason;
        };
    }

    private static void hypercall(ExitInfo.Builder b, GuestState s, byte[] code) {
        b.vmx(VmxExitReasons.VMCALL, "KVM_EXIT_HYPERCALL");
        b.qualification(FieldValue.derived(0, "not used for VMCALL (cleared)"), null);
        FieldValue len = fixedLength(code, s.codeBits(), new int[]{0x0F, 0x01, 0xC1}, "VMCALL is 0F 01 C1");
        if (!len.hasValue()) {
            len = fixedLength(code, s.codeBits(), new int[]{0x0F, 0x01, 0xD9}, "VMMCALL is 0F 01 D9");
        }
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, len);
        b.noEventInfo().notDuringDelivery();
        b.note("KVM forwards only some hypercalls (KVM_HC_MAP_GPA_RANGE) to user space; all others it handles itself.");
        b.svm(SvmExitCodes.VMMCALL);
        b.vmcb(VmcbField.NEXT_RIP, nextRip(s, len));
    }

    private static FieldValue nextRip(GuestState s, FieldValue len) {
        return len.hasValue() ? FieldValue.derived(s.rip() + len.value(), "RIP + instruction length")
                : FieldValue.notCaptured(len.note());
    }

    /**
     * The length of an instruction with a fixed opcode: decoded when bytes are given, otherwise the bare opcode
     * length, stated as an assumption.
     */
    static FieldValue fixedLength(byte[] code, int codeBits, int[] opcode, String what) {
        if (code == null) {
            return FieldValue.derived(opcode.length, what + "; assumes no prefixes (" + NO_BYTES + ")");
        }
        X86Insn insn = X86Decoder.first(code, codeBits);
        if (insn == null) {
            return FieldValue.notCaptured("the bytes at RIP are too short for this instruction");
        }
        int at = insn.length() - opcode.length;   // these instructions are their opcode after any prefixes
        boolean same = insn.valid() && at >= 0;
        for (int i = 0; same && i < opcode.length; i++) {
            same = (code[at + i] & 0xFF) == opcode[i];
        }
        if (!same) {
            return FieldValue.notCaptured("the bytes at RIP are not this instruction (" + what + ")");
        }
        return FieldValue.derived(at + opcode.length, "decoded from the bytes at RIP (" + what + ")");
    }

    // --- exceptions ------------------------------------------------------------------------------------------

    private static void debug(ExitInfo.Builder b, KvmExit.Debug d, GuestState s) {
        if (d.exception() != 1) {
            exception(b, d.exception(), 0, s, "kvm_run.debug");
            return;
        }
        b.vmx(VmxExitReasons.EXCEPTION_NMI, "KVM_EXIT_DEBUG with #DB");
        b.vmcs(VM_EXIT_INTR_INFO, FieldValue.derived(1 | 3 << 8 | 1L << 31, "#DB (vector 1), hardware exception, valid"));
        b.vmcs(VM_EXIT_INTR_ERROR_CODE, FieldValue.notApplicable("#DB pushes no error code"));
        b.qualification(FieldValue.derived(d.dr6() & 0x600F, 1 << 11 | 1 << 16,
                "B0-B3, BD and BS from kvm_run.debug.arch.dr6; bus-lock and RTM are lost because KVM sets DR6's "
                        + "active-low bits in what it reports"), BitDecoders.DEBUG_QUALIFICATION);
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.notApplicable("not saved for hardware exceptions"));
        b.note(d.singleStep() ? "Single step: the #DB is a trap, so RIP already points at the next instruction."
                : "Hardware breakpoint: instruction breakpoints are faults (RIP at the instruction), data breakpoints traps.");
        b.svm(SvmExitCodes.EXCP_BASE + 1);
    }

    private static void exception(ExitInfo.Builder b, int vector, int errorCode, GuestState s, String source) {
        int type = vector == 2 ? 2 : (vector == 3 || vector == 4) ? 6 : 3;
        boolean hasError = Vectors.pushesErrorCode(vector) && (s.cr0() & 1) != 0;
        String name = Vectors.mnemonic(vector) != null ? Vectors.mnemonic(vector) : "vector " + vector;
        b.vmx(VmxExitReasons.EXCEPTION_NMI, source + ": " + name);
        long info = (vector & 0xFF) | (long) type << 8 | (hasError ? 1 << 11 : 0) | 1L << 31;
        b.vmcs(VM_EXIT_INTR_INFO, FieldValue.derived(info, name + ", " + (type == 6 ? "software" : type == 2 ? "NMI" : "hardware")
                + " exception, valid" + (hasError ? ", error code delivered" : "")));
        b.vmcs(VM_EXIT_INTR_ERROR_CODE, hasError ? FieldValue.derived(errorCode & 0xFFFFFFFFL, source + ".error_code")
                : FieldValue.notApplicable(name + " delivers no error code here"));
        if (vector == 14) {
            b.qualification(FieldValue.notVisible("the faulting linear address; KVM does not report it with this exit"), null);
        } else if (vector == 1) {
            b.qualification(FieldValue.notVisible("the DR6 bits of this #DB; KVM does not report them with this exit"), null);
        } else {
            b.qualification(FieldValue.derived(0, "not used for " + name + " (cleared)"), null);
        }
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, type == 6 ? FieldValue.derived(1, "INT3 (CC) and INTO (CE) are one byte")
                : FieldValue.notApplicable("not saved for hardware exceptions"));
        b.svm(SvmExitCodes.EXCP_BASE + (vector & 31));
        b.vmcb(VmcbField.EXIT_INFO_1, hasError ? FieldValue.derived(errorCode & 0xFFFFFFFFL, source + ".error_code")
                : FieldValue.notApplicable(name + " delivers no error code here"));
        if (vector == 14) {
            b.vmcb(VmcbField.EXIT_INFO_2, FieldValue.notVisible("the faulting address; KVM does not report it with this exit"));
        }
    }

    // --- failed entries and KVM-internal exits ---------------------------------------------------------------

    private static void failEntry(ExitInfo.Builder b, KvmExit.FailEntry f) {
        long h = f.hardwareReason();
        int basic = (int) (h & 0xFFFF);
        boolean vmxForm = (h >>> 32) == 0 && (h & VmxExitReasons.ENTRY_FAILURE & 0xFFFFFFFFL) != 0
                && (basic == VmxExitReasons.INVALID_GUEST_STATE || basic == VmxExitReasons.MSR_LOAD_FAIL
                || basic == VmxExitReasons.MCE_DURING_VMENTRY);
        if (vmxForm) {
            b.entryFailure(basic, FieldValue.captured(h, "kvm_run.fail_entry.hardware_entry_failure_reason: KVM copied the VMCS exit reason"));
            b.svm(SvmExitCodes.INVALID);
        } else if (h == 0xFFFFFFFFL || h == -1L) {
            b.entryFailure(VmxExitReasons.INVALID_GUEST_STATE, FieldValue.derived(
                    VmxExitReasons.ENTRY_FAILURE & 0xFFFFFFFFL | VmxExitReasons.INVALID_GUEST_STATE,
                    "AMD host: VMRUN refused the VMCB (VMEXIT_INVALID); invalid guest state is the VMX counterpart"));
            b.svm(SvmExitCodes.INVALID);
            b.vmcb(VmcbField.EXIT_CODE, FieldValue.captured(SvmExitCodes.INVALID, "kvm_run.fail_entry.hardware_entry_failure_reason"));
        } else if (h > 0 && h < 32) {
            b.noVmx("VMLAUNCH/VMRESUME itself failed before any VM exit (VM-instruction error " + h + ": "
                    + VmInstructionErrors.describe((int) h) + ")");
            b.noSvm("VM-instruction errors exist only on VMX");
            b.vmcs(VM_INSTRUCTION_ERROR, FieldValue.captured(h, "kvm_run.fail_entry.hardware_entry_failure_reason: KVM copied the VM-instruction error"));
            return;
        } else {
            b.entryFailure(VmxExitReasons.INVALID_GUEST_STATE, FieldValue.derived(
                    VmxExitReasons.ENTRY_FAILURE & 0xFFFFFFFFL | VmxExitReasons.INVALID_GUEST_STATE,
                    String.format("hardware reason 0x%X is not in a form vmscope recognises; assumed invalid guest state", h)));
            b.svm(SvmExitCodes.INVALID);
        }
        b.qualification(FieldValue.notVisible("KVM does not report the entry-failure qualification"), null);
        b.noEventInfo();
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.notApplicable("no instruction ran: the entry failed"));
        b.note("The guest never ran: the processor checked the guest state, found it invalid and stayed in the host.");
    }

    private static void internalError(ExitInfo.Builder b, KvmExit.InternalError e) {
        String why = "KVM itself gave up (" + e.suberrorName() + "); the processor exit that led here is not identified";
        b.noVmx(why).noSvm(why);
        if (e.suberror() == 4 && e.data().length > 0) {
            long r = e.data()[0];
            b.note(String.format("data[0] = 0x%X is the hardware exit the kernel did not expect: on an Intel host the exit "
                    + "reason (basic %d %s), on an AMD host the SVM exit code (%s).", r, r & 0xFFFF,
                    VmxExitReasons.name((int) (r & 0xFFFF)), SvmExitCodes.name(r)));
        }
    }

    private static void simple(ExitInfo.Builder b, KvmExit.Simple s, GuestState st) {
        long[] raw = s.raw();
        switch (s.reason()) {
            case HLT -> {
                b.vmx(VmxExitReasons.HLT, "KVM_EXIT_HLT");
                b.qualification(FieldValue.derived(0, "not used for HLT (cleared)"), null);
                b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.derived(1, "HLT (F4) is one byte"));
                b.noEventInfo().notDuringDelivery();
                b.note("KVM stepped RIP past the HLT before returning to user space: the captured RIP is the next "
                        + "instruction, while the hardware VMCS at the exit held the HLT's own address.");
                b.svm(SvmExitCodes.HLT);
                b.vmcb(VmcbField.NEXT_RIP, FieldValue.derived(st.rip(), "KVM already moved RIP past HLT, so the captured RIP is the next RIP"));
            }
            case SHUTDOWN -> {
                b.vmx(VmxExitReasons.TRIPLE_FAULT, "KVM_EXIT_SHUTDOWN");
                b.qualification(FieldValue.derived(0, "not used for a triple fault (cleared)"), null);
                b.noEventInfo();
                b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.notApplicable("not caused by an instruction"));
                b.note("KVM reports the same exit for a triple fault it synthesised itself (e.g. while emulating).");
                b.svm(SvmExitCodes.SHUTDOWN);
            }
            case INTR -> {
                b.vmx(VmxExitReasons.EXTERNAL_INTERRUPT, "KVM_EXIT_INTR: a signal kicked the vCPU thread");
                b.qualification(FieldValue.derived(0, "not used for external interrupts (cleared)"), null);
                b.vmcs(VM_EXIT_INTR_INFO, FieldValue.notVisible("KVM acknowledges the host interrupt on exit; its vector "
                        + "belongs to the host, not the guest"));
                b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.notApplicable("not caused by an instruction"));
                b.note("A signal reaches a vCPU in guest mode as a host IPI, which is an external-interrupt exit. If the "
                        + "signal came before KVM entered the guest (or immediate_exit was set), KVM_RUN returned "
                        + "without any VM exit.");
                b.svm(SvmExitCodes.INTR);
            }
            case IRQ_WINDOW_OPEN -> {
                b.vmx(VmxExitReasons.INTERRUPT_WINDOW, "KVM_EXIT_IRQ_WINDOW_OPEN");
                b.qualification(FieldValue.derived(0, "not used for interrupt-window exits (cleared)"), null);
                b.noEventInfo();
                b.vmcs(VM_EXIT_INSTRUCTION_LEN, FieldValue.notApplicable("not caused by an instruction"));
                b.note("KVM may also report the window without a hardware exit, when it sees the guest can take an "
                        + "interrupt before entering it.");
                b.svm(SvmExitCodes.VINTR);
            }
            case TPR_ACCESS -> {
                boolean write = raw.length > 1 && raw[1] != 0;
                b.vmx(VmxExitReasons.APIC_ACCESS, "KVM_EXIT_TPR_ACCESS");
                b.qualification(FieldValue.derived(0x80 | (write ? 1 << 12 : 0), 0,
                        "TPR offset 0x80; linear " + (write ? "write" : "read") + " from kvm_run.tpr_access.is_write"),
                        BitDecoders.APIC_ACCESS_QUALIFICATION);
                b.noEventInfo();
                b.note("This is an APIC-access exit only when KVM virtualises the APIC page; otherwise the access "
                        + "arrives as an EPT violation.");
                b.noSvm("AMD has no APIC-access exit: AVIC reports it as AVIC_NOACCEL, without AVIC it is a nested page fault");
            }
            case IOAPIC_EOI -> {
                int vector = raw.length > 0 ? (int) (raw[0] & 0xFF) : 0;
                b.vmx(VmxExitReasons.EOI_INDUCED, "KVM_EXIT_IOAPIC_EOI");
                b.qualification(FieldValue.derived(vector, "kvm_run.eoi.vector"), BitDecoders.EOI_QUALIFICATION);
                b.noEventInfo();
                b.note("An EOI-induced exit needs APIC virtualisation; without it the EOI write arrives as an APIC "
                        + "access or an x2APIC WRMSR.");
                b.noSvm("AMD reports EOIs of level-triggered vectors as AVIC_NOACCEL or an x2APIC MSR write");
            }
            case X86_BUS_LOCK -> {
                b.vmx(VmxExitReasons.BUS_LOCK, "KVM_EXIT_X86_BUS_LOCK");
                b.qualification(FieldValue.derived(0, "not used for bus-lock exits (cleared)"), null);
                b.noEventInfo();
                b.note("A bus-lock exit is trap-like: RIP already points after the instruction that locked the bus.");
                b.svm(SvmExitCodes.BUS_LOCK);
            }
            case NOTIFY -> {
                long flags = raw.length > 0 ? raw[0] : 0;
                b.vmx(VmxExitReasons.NOTIFY, "KVM_EXIT_NOTIFY");
                b.qualification(FieldValue.derived(flags & 1, 1 << 12, "context-invalid from kvm_run.notify.flags; NMI "
                        + "unblocking is not reported"), BitDecoders.NOTIFY_QUALIFICATION);
                b.noEventInfo();
                b.noSvm("AMD has no instruction-timeout exit");
            }
            case MEMORY_FAULT -> {
                long gpa = raw.length > 1 ? raw[1] : 0;
                b.vmx(VmxExitReasons.EPT_VIOLATION, "KVM_EXIT_MEMORY_FAULT");
                b.qualification(FieldValue.derived(0, 0x3FFF, "KVM reports the address, not the kind of access"),
                        BitDecoders.EPT_VIOLATION_QUALIFICATION);
                b.vmcs(GUEST_PHYSICAL_ADDRESS, FieldValue.derived(gpa, "kvm_run.memory_fault.gpa"));
                b.note("The guest touched memory whose private/shared attribute did not match the access.");
                b.svm(SvmExitCodes.NPF);
                b.vmcb(VmcbField.EXIT_INFO_2, FieldValue.derived(gpa, "kvm_run.memory_fault.gpa"));
            }
            case AP_RESET_HOLD -> {
                b.noVmx("an SEV-ES request (AMD only)");
                b.svm(SvmExitCodes.VMGEXIT);
            }
            default -> {
                String why = noEquivalent(s);
                b.noVmx(why).noSvm(why);
            }
        }
    }

    private static String noEquivalent(KvmExit.Simple s) {
        return switch (s.reason()) {
            case UNKNOWN -> String.format("KVM met a hardware exit it does not handle (hardware_exit_reason 0x%X)",
                    s.raw().length > 0 ? s.raw()[0] : 0);
            case SET_TPR, NMI, OSI, PAPR_HCALL, WATCHDOG, EPR -> "x86 KVM does not produce this exit";
            case HYPERV -> "a Hyper-V emulation exit: a SynIC MSR write or a Hyper-V hypercall; the payload vmscope keeps does not say which";
            case XEN -> "a Xen emulation exit (hypercall or MSR); the payload vmscope keeps does not say which";
            case DIRTY_RING_FULL -> "KVM paused the vCPU because its dirty-page ring is full; no processor exit is involved";
            case OTHER -> "exit reason " + s.rawReason() + " is not known to vmscope";
            default -> "no processor exit corresponds to KVM_EXIT_" + s.reason().name();
        };
    }
}
