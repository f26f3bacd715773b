package dev.vmscope.app.ui.vmcs;

import dev.vmscope.engine.vmcs.Provenance;

/**
 * One field as the VMCS inspector shows it, already formatted.
 *
 * @param location      VMCS encoding ({@code 0x6400}) or VMCB offset ({@code 0x400+0x178})
 * @param value         hex with every digit of the field, '?' for unknown nibbles; "—" without a value
 * @param decoded       one-line meaning ({@code Decoded.summary()}), or "" (also for fields without a value)
 * @param decodedDetail the value bit by bit, one part a line, or "" when there is no layout
 * @param bitsLine      the same on one line ("2:0 SIZE=1 byte · 3 DIR=OUT · ..."), or ""
 * @param note          where the value came from, or why there is none ({@code FieldValue.note()})
 * @param changed       the value differs from the previous exit of the same vCPU
 * @param before        the value at that previous exit (as {@code value}), or null when unchanged or none
 * @param partlyUnknown some bits of the value could not be determined
 */
public record FieldRow(String location, String name, String width, String value, String decoded,
                       String decodedDetail, String bitsLine, Provenance provenance, String note, String description, boolean changed,
                       String before, boolean partlyUnknown) {

    public boolean hasValue() {
        return provenance.hasValue();
    }

    /** "captured", "derived", "not visible", ... */
    public String provenanceText() {
        return provenance.label();
    }

    /** Whether a search for {@code query} (lower case, trimmed) finds this row (see {@link FieldSearch}). */
    public boolean matches(String query) {
        return FieldSearch.matches(name, location, query);
    }
}
