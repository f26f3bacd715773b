package dev.vmscope.app.ui.vmcs;

import dev.vmscope.engine.vmcs.Area;
import dev.vmscope.engine.vmcs.Decoded;
import dev.vmscope.engine.vmcs.DecodedBits;
import dev.vmscope.engine.vmcs.ExitInfo;
import dev.vmscope.engine.vmcs.FieldValue;
import dev.vmscope.engine.vmcs.ViewRow;
import dev.vmscope.engine.vmcs.VmcbField;
import dev.vmscope.engine.vmcs.VmcsField;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The VMCS inspector's model: every field of the selected exit's VMCS (or VMCB) view, grouped by area
 * (exit information first, then guest state, controls, host state; in each, the fields with a value first, in
 * SDM order, then those without), with the fields that changed since the
 * previous exit of the same vCPU marked; a search over names and encodings and a "changed only" filter.
 * Fed by {@link ExitDetailsViewModel}; no nodes.
 */
public final class VmcsViewModel {
    /** Which control structure the exit is laid out as. */
    public enum Layout {
        VMCS("Intel VMCS"), VMCB("AMD VMCB");

        private final String label;

        Layout(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The order areas are listed in: what the exit says first, KVM's hidden state last. */
    static final List<Area> AREA_ORDER = List.of(Area.EXIT_INFO, Area.GUEST, Area.CONTROL, Area.HOST);

    private static final Map<Area, String> AREA_TITLES = Map.of(Area.EXIT_INFO, "Exit information",
            Area.GUEST, "Guest state", Area.CONTROL, "Controls", Area.HOST, "Host state");

    private final ExitDetailsViewModel model;
    private final ObjectProperty<Layout> layout = new SimpleObjectProperty<>(this, "layout", Layout.VMCS);
    private final StringProperty search = new SimpleStringProperty(this, "search", "");
    private final BooleanProperty changedOnly = new SimpleBooleanProperty(this, "changedOnly", false);
    private final ReadOnlyObjectWrapper<List<FieldGroup>> groups = new ReadOnlyObjectWrapper<>(this, "groups", List.of());
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "VMCS");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note", "");
    private final ReadOnlyStringWrapper counts = new ReadOnlyStringWrapper(this, "counts", "");
    private final ReadOnlyStringWrapper placeholder = new ReadOnlyStringWrapper(this, "placeholder", "select an exit");
    /** Every row of the current exit and layout, before search and filter. */
    private List<FieldGroup> all = List.of();

    public VmcsViewModel(ExitDetailsViewModel model) {
        this.model = model;
        model.detailsProperty().addListener(o -> rebuild());
        layout.addListener(o -> rebuild());
        search.addListener(o -> filter());
        changedOnly.addListener(o -> filter());
        rebuild();
    }

    public ExitDetailsViewModel model() {
        return model;
    }

    public ObjectProperty<Layout> layoutProperty() {
        return layout;
    }

    /** Text to find in field names or encodings ({@code qualif}, {@code 0x6400}, {@code 6400}). */
    public StringProperty searchProperty() {
        return search;
    }

    /** Only the fields that differ from the previous exit of the same vCPU. */
    public BooleanProperty changedOnlyProperty() {
        return changedOnly;
    }

    /** The areas with the rows that pass search and filter; a new list each time (never modified). */
    public ReadOnlyObjectProperty<List<FieldGroup>> groupsProperty() {
        return groups.getReadOnlyProperty();
    }

    public List<FieldGroup> groups() {
        return groups.get();
    }

    /** e.g. "VMCS · exit #42 · vCPU 0 · exit reason 30 IO_INSTRUCTION". */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** What the changes are measured against and where the instruction's bytes came from. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    /** e.g. "216 fields · 53 with a value · 4 changed" (of the whole view, not just the visible rows). */
    public ReadOnlyStringProperty countsProperty() {
        return counts.getReadOnlyProperty();
    }

    /** Why no rows are shown, when none are. */
    public ReadOnlyStringProperty placeholderProperty() {
        return placeholder.getReadOnlyProperty();
    }

    /** The row named {@code name} among the visible ones, or null. */
    public FieldRow row(String name) {
        return find(groups.get(), name);
    }

    /** The row named {@code name} in the whole view (search and filter aside), or null. */
    public FieldRow anyRow(String name) {
        return find(all, name);
    }

    /** How many rows pass search and filter. */
    public int visibleRowCount() {
        return groups.get().stream().mapToInt(g -> g.rows().size()).sum();
    }

    private static FieldRow find(List<FieldGroup> gs, String name) {
        for (FieldGroup g : gs) {
            for (FieldRow r : g.rows()) {
                if (r.name().equals(name)) {
                    return r;
                }
            }
        }
        return null;
    }

    private void rebuild() {
        ExitDetails d = model.details();
        if (d == null || !d.available()) {
            all = List.of();
            title.set(layout.get() == Layout.VMCB ? "VMCB" : "VMCS");
            note.set("");
            counts.set("");
            placeholder.set(d == null ? "select an exit" : d.problem());
            groups.set(List.of());
            return;
        }
        ExitInfo info = d.vmcs().exitInfo();
        String head = "exit #" + d.seq() + " · vCPU " + d.vcpu() + " · ";
        if (layout.get() == Layout.VMCB) {
            all = vmcbGroups(d);
            title.set("VMCB · " + head + (info.svmExitCode().isPresent()
                    ? String.format("EXITCODE 0x%X %s", info.svmExitCode().getAsLong(), info.svmExitName())
                    : "no SVM exit code"));
        } else {
            all = vmcsGroups(d);
            title.set("VMCS · " + head + (info.vmxReason().isPresent()
                    ? "exit reason " + info.vmxReason().getAsInt() + " " + info.vmxReasonName()
                    : "no VMX exit reason"));
        }
        note.set((d.hasPrevious() ? "● changed since exit #" + d.previous().seq() + " (this vCPU's previous exit)"
                : "first exit of vCPU " + d.vcpu() + ": nothing to compare with") + " · " + d.bytesNote()
                + "\n" + d.hardwareNote());
        int fields = 0;
        int valued = 0;
        int changed = 0;
        for (FieldGroup g : all) {
            for (FieldRow r : g.rows()) {
                fields++;
                valued += r.hasValue() ? 1 : 0;
                changed += r.changed() ? 1 : 0;
            }
        }
        counts.set(fields + " fields · " + valued + " with a value · " + changed + " changed");
        filter();
    }

    private void filter() {
        ExitDetails d = model.details();
        if (d == null || !d.available()) {
            return;
        }
        String q = search.get() == null ? "" : search.get().trim().toLowerCase(Locale.ROOT);
        boolean onlyChanged = changedOnly.get();
        List<FieldGroup> out = new ArrayList<>();
        for (FieldGroup g : all) {
            List<FieldRow> rows = new ArrayList<>();
            for (FieldRow r : g.rows()) {
                if ((!onlyChanged || r.changed()) && r.matches(q)) {
                    rows.add(r);
                }
            }
            if (!rows.isEmpty() || (q.isEmpty() && !onlyChanged)) {
                out.add(new FieldGroup(g.key(), g.title(), g.summary(), rows));
            }
        }
        if (out.isEmpty()) {
            if (onlyChanged && !d.hasPrevious()) {
                placeholder.set("exit #" + d.seq() + " is the first of vCPU " + d.vcpu() + ": nothing to compare with");
            } else if (onlyChanged && q.isEmpty()) {
                placeholder.set("no field changed since exit #" + d.previous().seq());
            } else {
                placeholder.set("no " + (onlyChanged ? "changed " : "") + "field matches '" + search.get().trim() + "'");
            }
        }
        groups.set(List.copyOf(out));
    }

    private static List<FieldGroup> vmcsGroups(ExitDetails d) {
        List<FieldGroup> out = new ArrayList<>();
        for (Area a : AREA_ORDER) {
            Set<Area> one = EnumSet.of(a);
            Map<String, ViewRow> before = d.previousVmcs() == null ? Map.of() : byName(d.previousVmcs().rows(one, false));
            List<FieldRow> rows = new ArrayList<>();
            for (ViewRow r : d.vmcs().rows(one, false)) {
                boolean changed = d.changed().contains(VmcsField.valueOf(r.name()));
                rows.add(row(r, changed, changed ? before.get(r.name()) : null));
            }
            out.add(group(a.name(), AREA_TITLES.get(a), rows));
        }
        return out;
    }

    private static List<FieldGroup> vmcbGroups(ExitDetails d) {
        List<FieldGroup> out = new ArrayList<>();
        for (VmcbField.Area a : VmcbField.Area.values()) {
            Set<VmcbField.Area> one = EnumSet.of(a);
            Map<String, ViewRow> before = d.previousVmcb() == null ? Map.of() : byName(d.previousVmcb().rows(one));
            List<FieldRow> rows = new ArrayList<>();
            for (ViewRow r : d.vmcb().rows(one)) {
                boolean changed = d.changedVmcb().contains(VmcbField.valueOf(r.name()));
                rows.add(row(r, changed, changed ? before.get(r.name()) : null));
            }
            out.add(group("VMCB_" + a.name(), a == VmcbField.Area.CONTROL ? "Control area (exit fields and intercepts)"
                    : "State-save area (guest state)", rows));
        }
        return out;
    }

    private static Map<String, ViewRow> byName(List<ViewRow> rows) {
        Map<String, ViewRow> m = new HashMap<>();
        for (ViewRow r : rows) {
            m.put(r.name(), r);
        }
        return m;
    }

    /**
     * An area's fields with a value first, then those without (greyed), each part in SDM order: what the exit
     * says is on screen without scrolling past the many fields KVM keeps to itself.
     */
    private static FieldGroup group(String key, String title, List<FieldRow> sdmOrder) {
        List<FieldRow> rows = new ArrayList<>(sdmOrder);
        rows.sort(java.util.Comparator.comparing(r -> !r.hasValue()));    // stable: SDM order within each part
        int valued = 0;
        int changed = 0;
        for (FieldRow r : rows) {
            valued += r.hasValue() ? 1 : 0;
            changed += r.changed() ? 1 : 0;
        }
        String summary = (valued == rows.size() ? "all " + rows.size() : valued + " of " + rows.size())
                + " with a value" + (changed > 0 ? " · " + changed + " changed" : "");
        return new FieldGroup(key, title, summary, rows);
    }

    static FieldRow row(ViewRow r, boolean changed, ViewRow before) {
        FieldValue v = r.value();
        boolean has = v.hasValue();
        return new FieldRow(r.location(), r.name(), r.width(), r.valueText(), has ? r.decodedText() : "",
                has ? detail(r.decoded()) : "", has ? bitsLine(r.decoded()) : "", v.provenance(), v.note(), r.description(), changed,
                before == null ? null : before.valueText(), has && v.unknownMask() != 0);
    }

    /** Every part of the decoded value on one line: {@code 2:0 SIZE=1 byte · 3 DIR=OUT · 4 STRING=0 ...}. */
    static String bitsLine(Decoded d) {
        if (d == null) {
            return "";
        }
        if (d.summaryOverride() != null) {
            return d.summaryOverride();
        }
        java.util.StringJoiner j = new java.util.StringJoiner(" · ");
        for (DecodedBits x : d.bits()) {
            j.add(x.range() + " " + x.name() + "=" + partValue(x));
        }
        return j.toString();
    }

    private static String partValue(DecodedBits x) {
        return !x.known() ? "?"
                : x.valueText() != null ? x.valueText()
                : x.isFlag() ? (x.value() != 0 ? "1" : "0")
                : "0x" + Long.toHexString(x.value()).toUpperCase(Locale.ROOT);
    }

    /** The decoded value one part a line: bits, name, value in words, meaning. */
    static String detail(Decoded d) {
        if (d == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(d.title());
        if (d.summaryOverride() != null) {
            b.append(": ").append(d.summaryOverride());
        }
        for (DecodedBits x : d.bits()) {
            String value = x.known() ? partValue(x) : "? (unknown)";
            b.append('\n').append(String.format(Locale.ROOT, "%-6s %-16s %-12s %s", x.range(), x.name(), value,
                    x.meaning()));
        }
        return b.toString();
    }
}
