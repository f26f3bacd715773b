package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Field-by-field differences between two VMCS views, typically an exit and the previous exit of the same vCPU.
 * A field differs when its value or its unknown bits differ, or when it has a value in one view only; two
 * missing values are equal whatever their reasons.
 */
public final class VmcsDiff {
    private VmcsDiff() {
    }

    public static List<FieldChange> between(VmcsFieldView before, VmcsFieldView after) {
        return between(before, after, Set.of(Area.values()));
    }

    public static List<FieldChange> between(VmcsFieldView before, VmcsFieldView after, Set<Area> areas) {
        List<FieldChange> out = new ArrayList<>();
        for (VmcsField f : VmcsField.values()) {
            if (!areas.contains(f.area())) {
                continue;
            }
            FieldValue a = before.get(f);
            FieldValue b = after.get(f);
            if (!a.sameValueAs(b)) {
                out.add(new FieldChange(f, a, b));
            }
        }
        return out;
    }

    /** The exit before {@code records.get(index)} on the same vCPU, if any (records in capture order). */
    public static Optional<ExitRecord> previousOnSameVcpu(List<ExitRecord> records, int index) {
        int vcpu = records.get(index).vcpu();
        for (int i = index - 1; i >= 0; i--) {
            if (records.get(i).vcpu() == vcpu) {
                return Optional.of(records.get(i));
            }
        }
        return Optional.empty();
    }

    /** One change per line. */
    public static String render(List<FieldChange> changes) {
        StringBuilder b = new StringBuilder();
        int width = changes.stream().mapToInt(c -> c.field().name().length()).max().orElse(0);
        for (FieldChange c : changes) {
            int bits = c.field().width().bits;
            b.append(String.format("%s  %-" + width + "s  %s -> %s%n", VmcsEncoding.hex(c.field().encoding()),
                    c.field().name(), ValueFormat.hex(c.before(), bits), ValueFormat.hex(c.after(), bits)));
        }
        return b.toString();
    }
}
