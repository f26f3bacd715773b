package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A VMCS-shaped view of one exit: a value or a reason for its absence for every field of {@link VmcsField}.
 * It shows the guest's architectural state in VMCS form, built from what KVM gave user space; it is not a
 * copy of KVM's hardware VMCS (KVM does not expose that), and it never shows a value vmscope does not know.
 */
public final class VmcsFieldView {
    private final ExitRecord record;
    private final ExitInfo exitInfo;
    private final Map<VmcsField, FieldValue> values;

    private VmcsFieldView(ExitRecord record, ExitInfo exitInfo, Map<VmcsField, FieldValue> values) {
        this.record = record;
        this.exitInfo = exitInfo;
        this.values = values;
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
        ExitInfo mapped = ExitInfoMapper.map(record, instructionBytes);
        ExitInfo info = hardware == null ? mapped : hardware.apply(mapped);
        GuestFacts facts = new GuestFacts(record);
        Map<VmcsField, FieldValue> values = new EnumMap<>(VmcsField.class);
        for (VmcsField f : VmcsField.values()) {
            values.put(f, VmcsValues.resolve(f, facts, info).truncated(f.width().bits));
        }
        return new VmcsFieldView(record, info, values);
    }

    public ExitRecord record() {
        return record;
    }

    public ExitInfo exitInfo() {
        return exitInfo;
    }

    public FieldValue get(VmcsField f) {
        return values.get(f);
    }

    /** A FULL read, or the upper 32 bits for a HIGH read. */
    public FieldValue get(FieldRef ref) {
        FieldValue v = values.get(ref.field());
        return ref.access() == AccessType.HIGH ? v.high() : v;
    }

    /** The layout of this field for this exit (the qualification's layout depends on the exit reason). */
    public Optional<BitDecoder> decoder(VmcsField f) {
        if (f == VmcsField.EXIT_QUALIFICATION) {
            return exitInfo.qualificationDecoder();
        }
        if (f == VmcsField.VMX_INSTRUCTION_INFO) {
            return exitInfo.vmxReason().isPresent() ? BitDecoders.instructionInfo(exitInfo.vmxReason().getAsInt()) : Optional.empty();
        }
        return BitDecoders.forField(f);
    }

    public Optional<Decoded> decoded(VmcsField f) {
        return decoder(f).flatMap(d -> d.decode(get(f)));
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

    /** How many fields of this view have each provenance. */
    public Map<Provenance, Integer> provenanceCounts() {
        Map<Provenance, Integer> m = new EnumMap<>(Provenance.class);
        values.values().forEach(v -> m.merge(v.provenance(), 1, Integer::sum));
        return m;
    }
}
