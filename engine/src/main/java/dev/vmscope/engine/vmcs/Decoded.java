package dev.vmscope.engine.vmcs;

import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * A value taken apart bit by bit, ready to be shown as a list (UI) or one line (tables).
 *
 * @param summaryOverride a one-line summary that replaces the bit list (e.g. "not valid"), or null
 */
public record Decoded(String title, long value, long unknownMask, List<DecodedBits> bits, String summaryOverride) {
    public Decoded {
        bits = List.copyOf(bits);
    }

    public Optional<DecodedBits> part(String name) {
        return bits.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The value of a named part; throws when the layout has no such part. */
    public long get(String name) {
        return part(name).orElseThrow(() -> new IllegalArgumentException(title + " has no part " + name)).value();
    }

    /** True when the named part is known and non-zero. */
    public boolean isSet(String name) {
        return part(name).map(b -> b.known() && b.value() != 0).orElse(false);
    }

    public boolean isKnown(String name) {
        return part(name).map(DecodedBits::known).orElse(false);
    }

    /**
     * Set flags by name and ranges as name=value, e.g. {@code PE ET NE PG} or {@code PORT=0x3F8 DIR=OUT SIZE=1 byte}:
     * the parts that lead (see {@link DecodedBits#leads}) first, then the others from the low bit up.
     */
    public String summary() {
        if (summaryOverride != null) {
            return summaryOverride;
        }
        StringJoiner j = new StringJoiner(" ");
        for (boolean leading : new boolean[] {true, false}) {   // the deciding parts first, then the rest low bit first
            for (DecodedBits b : bits) {
                String t = b.leads() == leading ? b.summaryToken() : null;
                if (t != null) {
                    j.add(t);
                }
            }
        }
        return j.toString();
    }
}
