package dev.vmscope.engine.vmcs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link BitDecoder} described as a list of flags and ranges. Immutable once built. */
public final class BitLayout implements BitDecoder {
    /** Turns a range's value into words; {@code whole} is the entire decoded value, for context-dependent parts. */
    @FunctionalInterface
    public interface ValueText {
        String text(long value, long whole);
    }

    private record Part(int high, int low, String name, String meaning, ValueText text, boolean quietZero,
                        boolean leads) {
    }

    /** When flag {@code flag} is known and equals {@code whenSet}, the whole value sums up as {@code text}. */
    private record SummaryRule(String flag, boolean whenSet, String text) {
    }

    private final String title;
    private final List<Part> parts;
    private final SummaryRule rule;

    private BitLayout(String title, List<Part> parts, SummaryRule rule) {
        this.title = title;
        this.parts = List.copyOf(parts);
        this.rule = rule;
    }

    public static Builder named(String title) {
        return new Builder(title);
    }

    @Override
    public String title() {
        return title;
    }

    /** The names of the one-bit flags set in {@code value}, low bit first, separated by single spaces. */
    public String setFlags(long value) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p.high == p.low && p.text == null && (value & (1L << p.low)) != 0) {
                out.append(out.length() == 0 ? "" : " ").append(p.name);
            }
        }
        return out.toString();
    }

    @Override
    public Decoded decode(long value, long unknownMask) {
        List<DecodedBits> out = new ArrayList<>(parts.size());
        for (Part p : parts) {
            long mask = p.high == 63 && p.low == 0 ? -1L : ((1L << (p.high - p.low + 1)) - 1) << p.low;
            boolean known = (unknownMask & mask) == 0;
            long v = known ? (value & mask) >>> p.low : 0;
            String text = p.text == null || !known ? null : p.text.text(v, value);
            if (p.text != null && !known) {
                text = "?";
            }
            out.add(new DecodedBits(p.high, p.low, p.name, p.meaning, v, known, text, p.quietZero, p.leads));
        }
        String summary = null;
        if (rule != null) {
            for (DecodedBits b : out) {
                if (b.name().equals(rule.flag) && b.known() && (b.value() != 0) == rule.whenSet) {
                    summary = rule.text;
                }
            }
        }
        return new Decoded(title, value & ~unknownMask, unknownMask, out, summary);
    }

    public static final class Builder {
        private final String title;
        private final List<Part> parts = new ArrayList<>();
        private SummaryRule rule;

        private Builder(String title) {
            this.title = title;
        }

        /** A single bit, shown by name when set. */
        public Builder flag(int bit, String name, String meaning) {
            return add(bit, bit, name, meaning, null);
        }

        /** A range shown as its number. */
        public Builder field(int high, int low, String name, String meaning) {
            return add(high, low, name, meaning, (v, w) -> high - low < 4 ? Long.toString(v) : "0x" + Long.toHexString(v));
        }

        public Builder field(int high, int low, String name, String meaning, ValueText text) {
            return add(high, low, name, meaning, text);
        }

        /** A range whose values have names; unnamed values show as numbers. */
        public Builder field(int high, int low, String name, String meaning, Map<Long, String> names) {
            return add(high, low, name, meaning, (v, w) -> names.getOrDefault(v, Long.toString(v)));
        }

        private Builder add(int high, int low, String name, String meaning, ValueText text) {
            if (low < 0 || high > 63 || high < low) {
                throw new IllegalArgumentException(name + ": bad range " + high + ":" + low);
            }
            parts.add(new Part(high, low, name, meaning, text, false, false));
            return this;
        }

        /** Leaves the last-added range out of one-line summaries while it is zero (e.g. DR7 RW/LEN of unused slots). */
        public Builder quietWhenZero() {
            Part p = parts.remove(parts.size() - 1);
            parts.add(new Part(p.high, p.low, p.name, p.meaning, p.text, true, p.leads));
            return this;
        }

        /** Puts the last-added range first in one-line summaries: it decides what the value means. */
        public Builder leads() {
            Part p = parts.remove(parts.size() - 1);
            parts.add(new Part(p.high, p.low, p.name, p.meaning, p.text, p.quietZero, true));
            return this;
        }

        /** Sums the whole value up as {@code text} when {@code flag} is known and set ({@code whenSet}) or clear. */
        public Builder summaryWhen(String flag, boolean whenSet, String text) {
            rule = new SummaryRule(flag, whenSet, text);
            return this;
        }

        public BitLayout build() {
            return new BitLayout(title, parts, rule);
        }
    }
}
