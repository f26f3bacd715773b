package dev.vmscope.engine.vmcs;

import java.util.Optional;

/** Takes a register or VMCS field value apart into named bits. */
public interface BitDecoder {
    String title();

    /** @param unknownMask bits vmscope could not determine; parts touching them are marked unknown */
    Decoded decode(long value, long unknownMask);

    default Decoded decode(long value) {
        return decode(value, 0);
    }

    /** Decodes a field value when it has one. */
    default Optional<Decoded> decode(FieldValue v) {
        return v.hasValue() ? Optional.of(decode(v.value(), v.unknownMask())) : Optional.empty();
    }
}
