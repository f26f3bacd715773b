package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.kernel.KernelActivity;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.vmcs.ExitExplanations;
import dev.vmscope.engine.vmcs.Explanation;
import dev.vmscope.engine.vmcs.FieldChange;
import dev.vmscope.engine.vmcs.HardwareExit;
import dev.vmscope.engine.vmcs.VmcbField;
import dev.vmscope.engine.vmcs.VmcbFieldView;
import dev.vmscope.engine.vmcs.VmcsDiff;
import dev.vmscope.engine.vmcs.VmcsField;
import dev.vmscope.engine.vmcs.VmcsFieldView;

import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Everything the explanation and VMCS panes show for one exit, computed once off the FX thread and then only
 * read: the exit's VMCS and VMCB views, the previous exit of the same vCPU (for "changed"), and the
 * explanations. Immutable.
 *
 * @param seq              the exit
 * @param record           the exit's record, or null when the source does not have it (yet)
 * @param vmcs             the VMCS-shaped view (null without a record)
 * @param vmcb             the same exit as a VMCB (null without a record)
 * @param previous         the previous exit of the same vCPU, or null (first exit of that vCPU)
 * @param changed          VMCS fields that differ from {@code previous}; empty without one
 * @param changedVmcb      VMCB fields that differ from {@code previous}; empty without one
 * @param instructionBytes the bytes of the exit's instruction found in guest memory, or null
 * @param bytesAsked       true when guest memory could be asked (a live guest); false for a recorded trace
 *                         (whose bytes, if any, come from the code pages it kept)
 * @param problem          why there is no record: the exit is not in the source yet, or building failed; else null
 * @param pending          true when the exit is not in the source yet (worth asking again when it grows)
 * @param hardware         the host's kvm:kvm_exit values behind the exit, or why there are none (null without
 *                         a record)
 * @param kernel           what the kernel did since the vCPU's previous exit (null without a record)
 */
public record ExitDetails(long seq, ExitRecord record, VmcsFieldView vmcs, VmcbFieldView vmcb, ExitRecord previous,
                          Set<VmcsField> changed, Set<VmcbField> changedVmcb, VmcsFieldView previousVmcs,
                          VmcbFieldView previousVmcb, byte[] instructionBytes, boolean bytesAsked,
                          List<Explanation> explanations, String problem, boolean pending,
                          HardwareExit hardware, KernelActivity kernel) {

    public ExitDetails {
        changed = Collections.unmodifiableSet(changed.isEmpty() ? EnumSet.noneOf(VmcsField.class) : EnumSet.copyOf(changed));
        changedVmcb = Collections.unmodifiableSet(changedVmcb.isEmpty() ? EnumSet.noneOf(VmcbField.class)
                : EnumSet.copyOf(changedVmcb));
        explanations = List.copyOf(explanations);
    }

    /** Exit {@code seq} is not in the source yet (a live run publishes it shortly). */
    public static ExitDetails pending(long seq) {
        return new ExitDetails(seq, null, null, null, null, Set.of(), Set.of(), null, null, null, false, List.of(),
                "exit #" + seq + " is not available yet", true, null, null);
    }

    /** Building the views of exit {@code seq} failed; {@code why} says how. */
    public static ExitDetails failed(long seq, String why) {
        return new ExitDetails(seq, null, null, null, null, Set.of(), Set.of(), null, null, null, false, List.of(),
                why, false, null, null);
    }

    /**
     * Builds the details of {@code record}, given the bytes found for it and for {@code previous} (nulls when
     * there is no memory to read). Pure computation: any thread.
     */
    public static ExitDetails of(ExitRecord record, byte[] bytes, ExitRecord previous, byte[] previousBytes,
                                 boolean bytesAsked) {
        return of(record, bytes, previous, previousBytes, bytesAsked, null);
    }

    /**
     * As {@link #of(ExitRecord, byte[], ExitRecord, byte[], boolean)}, with the kernel's side from
     * {@code source}'s kernel events: the exit information captured from kvm:kvm_exit where the host recorded
     * it, and what the kernel did since the vCPU's previous exit ({@code source} null: neither).
     */
    public static ExitDetails of(ExitRecord record, byte[] bytes, ExitRecord previous, byte[] previousBytes,
                                 boolean bytesAsked, ExitSource source) {
        HardwareExit hw = source == null ? null : HardwareExit.before(source, record);
        HardwareExit prevHw = source == null || previous == null ? hw : HardwareExit.before(source, previous);
        KernelActivity kernel = source == null ? new KernelActivity(false, "no source", -1, 0, List.of())
                : KernelActivity.before(source, record);
        VmcsFieldView vmcs = VmcsFieldView.of(record, bytes, hw);
        VmcbFieldView vmcb = VmcbFieldView.of(record, bytes, hw);
        VmcsFieldView prevVmcs = previous == null ? null : VmcsFieldView.of(previous, previousBytes, prevHw);
        VmcbFieldView prevVmcb = previous == null ? null : VmcbFieldView.of(previous, previousBytes, prevHw);
        Set<VmcsField> changed = EnumSet.noneOf(VmcsField.class);
        Set<VmcbField> changedVmcb = EnumSet.noneOf(VmcbField.class);
        if (previous != null) {
            for (FieldChange c : VmcsDiff.between(prevVmcs, vmcs)) {
                changed.add(c.field());
            }
            for (VmcbField f : VmcbField.values()) {
                if (!prevVmcb.get(f).sameValueAs(vmcb.get(f))) {
                    changedVmcb.add(f);
                }
            }
        }
        return new ExitDetails(record.seq(), record, vmcs, vmcb, previous, changed, changedVmcb, prevVmcs, prevVmcb,
                bytes, bytesAsked, ExitExplanations.forExit(vmcs.exitInfo()), null, false, hw, kernel);
    }

    /** The record of {@code seq} and of its vCPU's previous exit, read from {@code source} (any thread). */
    static ExitRecord[] records(ExitSource source, long seq) {
        ExitRecord r = source.get(seq);
        if (r == null) {
            return new ExitRecord[]{null, null};
        }
        long p = source.columns().previousOfSameVcpu(seq);
        return new ExitRecord[]{r, p < 0 ? null : source.get(p)};
    }

    public boolean available() {
        return record != null;
    }

    public int vcpu() {
        return record == null ? -1 : record.vcpu();
    }

    public boolean hasPrevious() {
        return previous != null;
    }

    /** Where the exit information comes from: the host's kvm:kvm_exit, or derived and why (one line). */
    public String hardwareNote() {
        if (hardware == null || hardware.present()) {
            return hardware == null ? "exit information is derived" : "exit information captured from kvm:kvm_exit"
                    + String.format(" (exit reason %s, qualification 0x%x)", hardware.event().reasonName(),
                    hardware.event().info1());
        }
        return hardware.why();
    }

    /** Where the bits only the instruction can tell came from, in a few words for the pane headers. */
    public String bytesNote() {
        if (instructionBytes != null) {
            int n = Math.min(instructionBytes.length, 6);
            String from = bytesAsked ? "guest memory" : "the code the trace kept";
            return "instruction bytes from " + from + ": " + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(instructionBytes, 0, n)
                    + (instructionBytes.length > n ? " …" : "");
        }
        return bytesAsked ? "the instruction's bytes could not be read from guest memory: bits only they tell are ?"
                : "the trace kept no code for this exit: bits only the instruction's bytes tell are ?";
    }
}
