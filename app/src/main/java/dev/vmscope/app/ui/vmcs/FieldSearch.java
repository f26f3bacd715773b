package dev.vmscope.app.ui.vmcs;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The VMCS pane's find: what people type against the SDM's abbreviated field names. The query's words (split at
 * blanks and underscores, so {@code CS access} and {@code CS_ACCESS} are the same query) must each be found in
 * the field's name or encoding, either as written ({@code qualif}, {@code 6400}) or through the word the name
 * abbreviates it to ({@code access} and {@code rights} are {@code AR}, {@code length} is {@code LEN}…), so
 * {@code CS access} finds {@code GUEST_CS_AR_BYTES}.
 */
final class FieldSearch {
    /** Words people use → the name parts (SDM Appendix B, AMD's VMCB names) that abbreviate them. */
    private static final Map<String, List<String>> ABBREVIATED = Map.ofEntries(
            Map.entry("access", List.of("ar", "attrib")),
            Map.entry("rights", List.of("ar", "attrib")),
            Map.entry("attributes", List.of("ar", "attrib")),
            Map.entry("length", List.of("len")),
            Map.entry("address", List.of("addr")),
            Map.entry("interrupt", List.of("intr")),
            Map.entry("interruption", List.of("intr")),
            Map.entry("information", List.of("info")),
            Map.entry("error", List.of("err")),
            Map.entry("execution", List.of("exec")),
            Map.entry("controls", List.of("control", "ctls")),
            Map.entry("pointer", List.of("ptr")),
            Map.entry("physical", List.of("phys")),
            Map.entry("instruction", List.of("insn", "instruction")),
            Map.entry("processor", List.of("proc")),
            Map.entry("register", List.of("reg")));

    private FieldSearch() {
    }

    /** Whether {@code query} (trimmed, lower case) finds the field named {@code name} at {@code location}. */
    static boolean matches(String name, String location, String query) {
        if (query.isEmpty()) {
            return true;
        }
        String n = name.toLowerCase(Locale.ROOT);
        String at = location.toLowerCase(Locale.ROOT);
        if (n.contains(query) || at.contains(query)) {
            return true;
        }
        List<String> parts = List.of(n.split("_"));
        for (String word : query.split("[\\s_]+")) {
            if (!word.isEmpty() && !n.contains(word) && !at.contains(word) && !abbreviated(word, parts)) {
                return false;
            }
        }
        return true;
    }

    private static boolean abbreviated(String word, List<String> parts) {
        for (Map.Entry<String, List<String>> e : ABBREVIATED.entrySet()) {
            if (e.getKey().startsWith(word) && word.length() >= 3) {
                for (String abbreviation : e.getValue()) {
                    if (parts.contains(abbreviation)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
