package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link VmcsFieldView} and {@link VmcbFieldView} share: one exit mapped to the hardware's exit information
 * once (with the host's kvm_exit where it was captured), and a value with its provenance for every field of
 * {@code F}, cut to the field's width. Each subclass says which layout decodes which of its fields.
 *
 * @param <F> the field catalogue (VMCS fields or VMCB fields)
 */
public abstract class ExitFieldView<F extends Enum<F>> {
    /** A field's value at this exit, from the guest's state and the exit information. */
    interface Resolver<F> {
        FieldValue resolve(F field, GuestFacts facts, ExitInfo info);
    }

    private final ExitRecord record;
    private final ExitInfo exitInfo;
    private final Map<F, FieldValue> values;

    /**
     * @param instructionBytes up to 15 bytes at the guest's RIP (from guest memory or the trace), or null
     * @param hardware         the host's kvm_exit for this exit, or why there is none; null: not looked for
     * @param bits             a field's width in bits (its value is cut to it)
     */
    ExitFieldView(Class<F> fields, ExitRecord record, byte[] instructionBytes, HardwareExit hardware,
                  Resolver<F> resolver, java.util.function.ToIntFunction<F> bits) {
        ExitInfo mapped = ExitInfoMapper.map(record, instructionBytes);
        this.record = record;
        this.exitInfo = hardware == null ? mapped : hardware.apply(mapped);
        GuestFacts facts = new GuestFacts(record);
        Map<F, FieldValue> v = new EnumMap<>(fields);
        for (F f : fields.getEnumConstants()) {
            v.put(f, resolver.resolve(f, facts, exitInfo).truncated(bits.applyAsInt(f)));
        }
        this.values = v;
    }

    public ExitRecord record() {
        return record;
    }

    public ExitInfo exitInfo() {
        return exitInfo;
    }

    public FieldValue get(F f) {
        return values.get(f);
    }

    /** The layout of {@code f} for this exit (an exit qualification's layout depends on the exit), if it has one. */
    public abstract Optional<BitDecoder> decoder(F f);

    public Optional<Decoded> decoded(F f) {
        return decoder(f).flatMap(d -> d.decode(get(f)));
    }

    /** How many fields of this view have each provenance. */
    public Map<Provenance, Integer> provenanceCounts() {
        Map<Provenance, Integer> m = new EnumMap<>(Provenance.class);
        values.values().forEach(v -> m.merge(v.provenance(), 1, Integer::sum));
        return m;
    }
}
