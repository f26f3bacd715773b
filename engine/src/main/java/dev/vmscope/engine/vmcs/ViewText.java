package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.exit.ExitRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plain-text tables of a VMCS or VMCB view for the command line: a header describing the exit, then one
 * section per area with columns encoding/offset, name, width, value, decoded, provenance. Fields without a
 * value show "—" and the reason.
 */
public final class ViewText {
    private ViewText() {
    }

    /** Every area, FULL encodings only, sources of values left out. */
    public static String vmcs(VmcsFieldView view) {
        return vmcs(view, Set.of(Area.values()), false, false);
    }

    /**
     * @param includeHigh a row per HIGH encoding of 64-bit fields
     * @param withSources also name the source of captured and derived values
     */
    public static String vmcs(VmcsFieldView view, Set<Area> areas, boolean includeHigh, boolean withSources) {
        return vmcs(view, areas, includeHigh, withSources, SymbolTable.EMPTY);
    }

    /** As above, the header naming the code the exit came from ({@code at putc+0x5}) when a symbol covers it. */
    public static String vmcs(VmcsFieldView view, Set<Area> areas, boolean includeHigh, boolean withSources,
                              SymbolTable symbols) {
        StringBuilder b = new StringBuilder();
        header(b, view.record(), view.exitInfo(), symbols);
        for (Area a : Area.values()) {
            if (areas.contains(a)) {
                section(b, a.label(), view.rows(Set.of(a), includeHigh), "ENCODING", withSources);
            }
        }
        return b.toString();
    }

    public static String vmcb(VmcbFieldView view) {
        return vmcb(view, Set.of(VmcbField.Area.values()), false);
    }

    public static String vmcb(VmcbFieldView view, Set<VmcbField.Area> areas, boolean withSources) {
        StringBuilder b = new StringBuilder();
        header(b, view.record(), view.exitInfo());
        for (VmcbField.Area a : VmcbField.Area.values()) {
            if (areas.contains(a)) {
                section(b, a.label(), view.rows(Set.of(a)), "OFFSET", withSources);
            }
        }
        return b.toString();
    }

    private static void header(StringBuilder b, ExitRecord r, ExitInfo info) {
        header(b, r, info, SymbolTable.EMPTY);
    }

    private static void header(StringBuilder b, ExitRecord r, ExitInfo info, SymbolTable symbols) {
        String at = symbols.describe(r.state().codeLinearAddress());
        b.append(String.format("exit #%d  vCPU %d  %s snapshot  %s: %s%s%n", r.seq(), r.vcpu(),
                r.state().isFull() ? "full" : "fast", r.reason().name(), r.exit().detail(),
                at == null ? "" : "  at " + at));
        b.append(info.summary()).append('\n');
        if (info.vmxReason().isEmpty()) {
            b.append("  no VMX equivalent: ").append(info.noVmxReason()).append('\n');
        }
        for (String n : info.notes()) {
            b.append("  note: ").append(n).append('\n');
        }
    }

    private static void section(StringBuilder b, String title, List<ViewRow> rows, String locationHeader, boolean withSources) {
        b.append('\n').append("== ").append(title).append(" ==").append('\n');
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[]{locationHeader, "NAME", "WIDTH", "VALUE", "DECODED", "PROVENANCE"});
        for (ViewRow r : rows) {
            cells.add(new String[]{r.location(), r.name(), r.width(), r.valueText(), r.decodedText(), provenance(r.value(), withSources)});
        }
        int[] w = new int[6];
        for (String[] c : cells) {
            for (int i = 0; i < 5; i++) {
                w[i] = Math.max(w[i], c[i].length());
            }
        }
        for (String[] c : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                line.append(String.format("%-" + w[i] + "s  ", c[i]));
            }
            line.append(c[5]);
            b.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String provenance(FieldValue v, boolean withSources) {
        if (!v.hasValue() || (withSources && !v.note().isBlank())) {
            return v.provenance().label() + ": " + v.note();
        }
        return v.provenance().label();
    }

    /** Field counts per provenance, e.g. for a summary line under the table. */
    public static String provenanceSummary(VmcsFieldView view) {
        Map<Provenance, Integer> counts = new LinkedHashMap<>(view.provenanceCounts());
        StringBuilder b = new StringBuilder();
        for (Provenance p : Provenance.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(counts.getOrDefault(p, 0)).append(' ').append(p.label());
        }
        return b.toString();
    }
}
