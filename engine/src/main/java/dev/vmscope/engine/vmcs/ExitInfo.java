package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One KVM exit restated as the VMX exit and the SVM #VMEXIT that most likely produced it: reason, exit code,
 * qualification and the other exit-information fields, each with provenance. Built by {@link ExitInfoMapper}.
 * When there is no processor equivalent (KVM-internal exits), the reason says so instead.
 */
public final class ExitInfo {
    /** The VMCB control fields an exit writes; the other control fields are KVM's settings. */
    public static final Set<VmcbField> SVM_EXIT_FIELDS = EnumSet.of(VmcbField.EXIT_CODE, VmcbField.EXIT_INFO_1,
            VmcbField.EXIT_INFO_2, VmcbField.EXIT_INT_INFO, VmcbField.NEXT_RIP, VmcbField.INSN_LEN);

    private final KvmExit exit;
    private final int vmxReason;
    private final String noVmx;
    private final Map<VmcsField, FieldValue> vmx;
    private final BitDecoder qualificationDecoder;
    private final Long svmCode;
    private final String noSvm;
    private final Map<VmcbField, FieldValue> svm;
    private final List<String> notes;

    private ExitInfo(Builder b) {
        this.exit = b.exit;
        this.vmxReason = b.vmxReason;
        this.noVmx = b.noVmx;
        this.vmx = new EnumMap<>(b.vmx);
        this.qualificationDecoder = b.qualificationDecoder;
        this.svmCode = b.svmCode;
        this.noSvm = b.noSvm;
        this.svm = new EnumMap<>(b.svm);
        this.notes = List.copyOf(b.notes);
    }

    public KvmExit exit() {
        return exit;
    }

    /** The Intel basic exit reason, when there is one. */
    public OptionalInt vmxReason() {
        return vmxReason >= 0 ? OptionalInt.of(vmxReason) : OptionalInt.empty();
    }

    /** e.g. {@code IO_INSTRUCTION}, or {@code none}. */
    public String vmxReasonName() {
        return vmxReason >= 0 ? VmxExitReasons.name(vmxReason) : "none";
    }

    /** Why there is no VMX exit reason (empty when there is one). */
    public String noVmxReason() {
        return noVmx == null ? "" : noVmx;
    }

    public OptionalLong svmExitCode() {
        return svmCode != null ? OptionalLong.of(svmCode) : OptionalLong.empty();
    }

    /** e.g. {@code IOIO}, or {@code none}. */
    public String svmExitName() {
        return svmCode != null ? SvmExitCodes.name(svmCode) : "none";
    }

    public String noSvmReason() {
        return noSvm == null ? "" : noSvm;
    }

    /** Things a reader should know about this mapping (assumptions, what KVM hides). */
    public List<String> notes() {
        return notes;
    }

    /** The bit layout of this exit's qualification, when vmscope knows it. */
    public Optional<BitDecoder> qualificationDecoder() {
        return Optional.ofNullable(qualificationDecoder);
    }

    /** The value of a VMCS exit-information field for this exit. */
    public FieldValue vmcs(VmcsField f) {
        if (f.area() != Area.EXIT_INFO) {
            throw new IllegalArgumentException(f + " is not an exit-information field");
        }
        FieldValue v = vmx.get(f);
        if (v != null) {
            return v;
        }
        if (f.provenance() == Provenance.NOT_VISIBLE) {
            return FieldValue.notVisible(f.source().text());
        }
        if (vmxReason < 0) {
            return FieldValue.notApplicable("no VMX equivalent: " + noVmxReason());
        }
        if (f == VmcsField.IDT_VECTORING_INFO_FIELD) {
            return FieldValue.notVisible("KVM reads it in the kernel and re-queues the interrupted event; "
                    + "vcpu_events cannot tell a re-queued event from a newly queued one");
        }
        return FieldValue.notApplicable("undefined for exit reason " + vmxReason + " " + vmxReasonName());
    }

    /** The value of one of {@link #SVM_EXIT_FIELDS} for this exit. */
    public FieldValue vmcb(VmcbField f) {
        if (!SVM_EXIT_FIELDS.contains(f)) {
            throw new IllegalArgumentException(f + " is not written by a #VMEXIT");
        }
        FieldValue v = svm.get(f);
        if (v != null) {
            return v;
        }
        if (svmCode == null) {
            return FieldValue.notApplicable("no SVM equivalent: " + noSvmReason());
        }
        if (f == VmcbField.EXIT_INT_INFO) {
            return FieldValue.notVisible("KVM reads it in the kernel and re-queues the interrupted event; "
                    + "vcpu_events cannot tell a re-queued event from a newly queued one");
        }
        return FieldValue.notApplicable("not used by SVM exit " + svmExitName());
    }

    /** The same information with one more note. */
    ExitInfo withNote(String note) {
        Builder b = copy();
        b.note(note);
        return b.build();
    }

    /**
     * The same exit with the hardware's own values from {@code kvm:kvm_exit} in place of derived ones: exit
     * reason, qualification, interruption information and error code, and the guest-physical address on EPT
     * exits (VMX); exit code, EXITINFO1/2 and EXITINTINFO (SVM).
     */
    ExitInfo withHardware(dev.vmscope.engine.kernel.KvmExitEvent hw) {
        Builder b = copy();
        String from = "captured from kvm:kvm_exit";
        if (hw.vmx()) {
            b.vmxReason = hw.basicReason();
            b.noVmx = null;
            b.vmcs(VmcsField.VM_EXIT_REASON, FieldValue.captured(hw.reason(), from + " (exit_reason)"));
            b.qualification(FieldValue.captured(hw.info1(), from + " (info1)"),
                    b.vmxReason == vmxReason ? qualificationDecoder : null);
            b.vmcs(VmcsField.VM_EXIT_INTR_INFO, FieldValue.captured(hw.intrInfo(), from + " (intr_info)"));
            b.vmcs(VmcsField.VM_EXIT_INTR_ERROR_CODE, FieldValue.captured(hw.errorCode(), from + " (error_code)"));
            if (hw.basicReason() == 48 || hw.basicReason() == 49) {
                b.vmcs(VmcsField.GUEST_PHYSICAL_ADDRESS, FieldValue.captured(hw.info2(), from + " (info2)"));
            }
        } else {
            b.svmCode = hw.reason();
            b.noSvm = null;
            b.vmcb(VmcbField.EXIT_CODE, FieldValue.captured(hw.reason(), from + " (exit_reason)"));
            b.vmcb(VmcbField.EXIT_INFO_1, FieldValue.captured(hw.info1(), from + " (info1)"));
            b.vmcb(VmcbField.EXIT_INFO_2, FieldValue.captured(hw.info2(), from + " (info2)"));
            b.vmcb(VmcbField.EXIT_INT_INFO, FieldValue.captured(hw.intrInfo(), from + " (intr_info)"));
        }
        b.note("exit information captured from kvm:kvm_exit: the values the CPU wrote at this exit ("
                + (hw.vmx() ? "VMX " : "SVM ") + hw.reasonName() + ")");
        return b.build();
    }

    private Builder copy() {
        Builder b = new Builder(exit);
        b.vmxReason = vmxReason;
        b.noVmx = noVmx;
        b.vmx.putAll(vmx);
        b.qualificationDecoder = qualificationDecoder;
        b.svmCode = svmCode;
        b.noSvm = noSvm;
        b.svm.putAll(svm);
        b.notes.addAll(notes);
        return b;
    }

    /** One line: {@code KVM IO -> VMX 30 IO_INSTRUCTION, SVM 0x7B IOIO}. */
    public String summary() {
        String v = vmxReason >= 0 ? "VMX " + vmxReason + " " + vmxReasonName() : "no VMX equivalent";
        String s = svmCode != null ? String.format("SVM 0x%X %s", svmCode, svmExitName()) : "no SVM equivalent";
        return "KVM " + exit.reason().name() + " -> " + v + ", " + s;
    }

    /** Collects the mapping; one per exit, not shared. */
    static final class Builder {
        private final KvmExit exit;
        private int vmxReason = -1;
        private String noVmx;
        private final Map<VmcsField, FieldValue> vmx = new EnumMap<>(VmcsField.class);
        private BitDecoder qualificationDecoder;
        private Long svmCode;
        private String noSvm;
        private final Map<VmcbField, FieldValue> svm = new EnumMap<>(VmcbField.class);
        private final List<String> notes = new ArrayList<>();

        Builder(KvmExit exit) {
            this.exit = exit;
        }

        /** Sets the basic reason and the exit-reason field (bit 31 added by {@link #entryFailure}). */
        Builder vmx(int basicReason, String how) {
            vmxReason = basicReason;
            vmx.put(VmcsField.VM_EXIT_REASON, FieldValue.derived(basicReason, how));
            return this;
        }

        Builder entryFailure(int basicReason, FieldValue fullReason) {
            vmxReason = basicReason;
            vmx.put(VmcsField.VM_EXIT_REASON, fullReason);
            return this;
        }

        Builder noVmx(String why) {
            vmxReason = -1;
            noVmx = why;
            return this;
        }

        Builder vmcs(VmcsField f, FieldValue v) {
            if (f.area() != Area.EXIT_INFO) {
                throw new IllegalArgumentException(f + " is not an exit-information field");
            }
            vmx.put(f, v.truncated(f.width().bits));
            return this;
        }

        Builder qualification(FieldValue v, BitDecoder decoder) {
            qualificationDecoder = decoder;
            return vmcs(VmcsField.EXIT_QUALIFICATION, v);
        }

        Builder svm(long code) {
            svmCode = code;
            svm.put(VmcbField.EXIT_CODE, FieldValue.derived(code, "mapped from the KVM exit reason"));
            return this;
        }

        Builder noSvm(String why) {
            svmCode = null;
            noSvm = why;
            return this;
        }

        Builder vmcb(VmcbField f, FieldValue v) {
            if (!SVM_EXIT_FIELDS.contains(f)) {
                throw new IllegalArgumentException(f + " is not written by a #VMEXIT");
            }
            svm.put(f, v);
            return this;
        }

        Builder note(String text) {
            notes.add(text);
            return this;
        }

        /** The exit was not caused by an event: exit interruption information has its valid bit clear. */
        Builder noEventInfo() {
            vmcs(VmcsField.VM_EXIT_INTR_INFO, FieldValue.derived(0, "not caused by an exception, NMI or interrupt: valid (bit 31) clear"));
            return this;
        }

        /** An instruction exit cannot interrupt event delivery: the vectoring fields are invalid. */
        Builder notDuringDelivery() {
            String why = "an exit caused by executing an instruction never interrupts event delivery: valid (bit 31) clear";
            vmcs(VmcsField.IDT_VECTORING_INFO_FIELD, FieldValue.derived(0, why));
            vmcs(VmcsField.IDT_VECTORING_ERROR_CODE, FieldValue.notApplicable("the IDT-vectoring information is not valid"));
            vmcb(VmcbField.EXIT_INT_INFO, FieldValue.derived(0, why));
            return this;
        }

        ExitInfo build() {
            if (vmxReason < 0 && noVmx == null) {
                throw new IllegalStateException("exit " + exit.reason() + " needs a VMX reason or why there is none");
            }
            if (svmCode == null && noSvm == null) {
                throw new IllegalStateException("exit " + exit.reason() + " needs an SVM code or why there is none");
            }
            return new ExitInfo(this);
        }
    }
}
