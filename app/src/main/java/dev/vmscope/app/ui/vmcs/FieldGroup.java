package dev.vmscope.app.ui.vmcs;

import java.util.List;

/**
 * One area of the VMCS (or VMCB) in the inspector: its title, a summary line and the rows that pass the
 * current search and "changed only" filter.
 *
 * @param key     stable id of the area across exits (keeps its expanded state)
 * @param summary e.g. "5 of 16 with a value · 1 changed" or "all 26 with a value"
 */
public record FieldGroup(String key, String title, String summary, List<FieldRow> rows) {
    public FieldGroup {
        rows = List.copyOf(rows);
    }
}
