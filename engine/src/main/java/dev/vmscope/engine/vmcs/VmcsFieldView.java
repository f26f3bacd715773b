package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A VMCS-shaped view of one exit: a value or a reason for its absence for every field of {@link VmcsField}.
 * It shows the guest's architectural state in VMCS form, built from what KVM gave user space; it is not a
 * copy of KVM's hardware VMCS (KVM does not expose that), and it never shows a value vmscope does not know.
 */
public final class VmcsFieldView extends ExitFieldView<VmcsField> {
    private VmcsFieldView(ExitRecord record, byte[] instructionBytes, HardwareExit hardware) {
        super(VmcsField.class, record, instructionBytes, hardware, VmcsValues::resolve, f -> f.width().bits);
    }

    /** The view without instruction bytes: I/O string/REP/operand bits and lengths stay unknown. */
    public static VmcsFieldView of(ExitRecord record) {
        return of(record, null);
    }

    /** @param instructionBytes up to 15 bytes at the guest's RIP (from guest memory), or null */
    public static VmcsFieldView of(ExitRecord record, byte[] instructionBytes) {
        return of(record, instructionBytes, null);
    }

    /**
     * @param instructionBytes up to 15 bytes at the guest's RIP (from guest memory), or null
     * @param hardware         the host's kvm_exit for this exit (captured exit information), or why there is none;
     *                         null: not looked for
     */
    public static VmcsFieldView of(ExitRecord record, byte[] instructionBytes, HardwareExit hardware) {
        return new VmcsFieldView(record, instructionBytes, hardware);
    }

    /** A FULL read, or the upper 32 bits for a HIGH read. */
    public FieldValue get(FieldRef ref) {
        FieldValue v = get(ref.field());
        return ref.access() == AccessType.HIGH ? v.high() : v;
    }

    @Override
    public Optional<BitDecoder> decoder(VmcsField f) {
        if (f == VmcsField.EXIT_QUALIFICATION) {
            return exitInfo().qualificationDecoder();
        }
        if (f == VmcsField.VMX_INSTRUCTION_INFO) {
            return exitInfo().vmxReason().isPresent() ? BitDecoders.instructionInfo(exitInfo().vmxReason().getAsInt())
                    : Optional.empty();
        }
        return BitDecoders.forField(f);
    }

    /** Rows in SDM order for the given areas; {@code includeHigh} adds a row per HIGH encoding. */
    public List<ViewRow> rows(Set<Area> areas, boolean includeHigh) {
        List<ViewRow> out = new ArrayList<>();
        for (FieldRef ref : VmcsCatalog.encodings()) {
            VmcsField f = ref.field();
            if (!areas.contains(f.area()) || (ref.access() == AccessType.HIGH && !includeHigh)) {
                continue;
            }
            FieldValue v = get(ref);
            Decoded d = ref.access() == AccessType.FULL ? decoded(f).orElse(null) : null;
            String description = ref.access() == AccessType.HIGH ? "Upper 32 bits of " + f.name() : f.description();
            out.add(new ViewRow(VmcsEncoding.hex(ref.encoding()), ref.name(), ref.width().bits, ref.width().label(),
                    f.area().label(), v, d, description));
        }
        return out;
    }

    public List<ViewRow> rows() {
        return rows(Set.of(Area.values()), false);
    }
}
