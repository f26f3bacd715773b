package dev.vmscope.engine.vmcs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Look-ups over {@link VmcsField}: by encoding (FULL or HIGH), by name, by area, and counts. */
public final class VmcsCatalog {
    private static final Map<Integer, FieldRef> BY_ENCODING = new HashMap<>();
    private static final Map<String, FieldRef> BY_NAME = new HashMap<>();
    private static final List<FieldRef> ALL_REFS;

    static {
        List<FieldRef> refs = new ArrayList<>();
        for (VmcsField f : VmcsField.values()) {
            refs.add(FieldRef.full(f));
            if (f.hasHighHalf()) {
                refs.add(new FieldRef(f, AccessType.HIGH));
            }
        }
        for (FieldRef r : refs) {
            if (BY_ENCODING.put(r.encoding(), r) != null) {
                throw new ExceptionInInitializerError("two VMCS fields share encoding " + VmcsEncoding.hex(r.encoding()));
            }
            BY_NAME.put(r.name(), r);
        }
        ALL_REFS = Collections.unmodifiableList(refs);
    }

    private VmcsCatalog() {
    }

    /** Every field, in SDM order. */
    public static List<VmcsField> fields() {
        return List.of(VmcsField.values());
    }

    /** Every encoding: each field's FULL encoding, followed by its HIGH encoding when it has one. */
    public static List<FieldRef> encodings() {
        return ALL_REFS;
    }

    public static List<VmcsField> fields(Area area) {
        return fields().stream().filter(f -> f.area() == area).toList();
    }

    public static Optional<FieldRef> byEncoding(int encoding) {
        return Optional.ofNullable(BY_ENCODING.get(encoding));
    }

    /** Accepts {@code GUEST_RIP}, {@code guest_rip}, {@code GUEST_IA32_EFER_HIGH} or a hex encoding like {@code 0x681e}. */
    public static Optional<FieldRef> lookup(String nameOrEncoding) {
        String s = nameOrEncoding.trim();
        if (s.regionMatches(true, 0, "0x", 0, 2)) {
            try {
                return byEncoding(Integer.parseInt(s.substring(2), 16));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(BY_NAME.get(s.toUpperCase(Locale.ROOT)));
    }

    public static Map<Area, Integer> countByArea() {
        Map<Area, Integer> m = new EnumMap<>(Area.class);
        for (Area a : Area.values()) {
            m.put(a, 0);
        }
        for (VmcsField f : VmcsField.values()) {
            m.merge(f.area(), 1, Integer::sum);
        }
        return m;
    }

    /** Catalogue provenance counts (the best a field gets; per-exit views can only lose values). */
    public static Map<Provenance, Integer> countByProvenance() {
        Map<Provenance, Integer> m = new EnumMap<>(Provenance.class);
        for (VmcsField f : VmcsField.values()) {
            m.merge(f.provenance(), 1, Integer::sum);
        }
        return m;
    }
}
