package dev.vmscope.app.ui.registers;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.SegmentState;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.vmcs.RegisterText;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The register pane's model: the guest state at the selected exit, decoded, with the values that changed
 * since the previous exit of the same vCPU marked. No nodes; follows the shared selection.
 */
public final class RegistersViewModel {
    private static final String[] GPR_NAMES = {"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RSP", "RBP",
            "R8", "R9", "R10", "R11", "R12", "R13", "R14", "R15"};

    private final ExitSelection selection;
    private final ObservableList<RegisterRow> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Registers");
    private final BooleanProperty hex = new SimpleBooleanProperty(this, "hex", true);
    private ExitSource source;
    /** vCPU 0 as the guest starts (shown while no exit is selected), or null. */
    private GuestState initial;
    private ExitRecord current;
    private ExitRecord previous;

    public RegistersViewModel(ExitSelection selection) {
        this.selection = selection;
        selection.seqProperty().addListener((o, a, b) -> update());
    }

    public void setSource(ExitSource s) {
        setSource(s, null);
    }

    /** The source, and vCPU 0's state before its first instruction to show until an exit is selected (or null). */
    public void setSource(ExitSource s, GuestState before) {
        source = s;
        initial = before;
        update();
    }

    public ObservableList<RegisterRow> rows() {
        return rows;
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** Hex (true) or unsigned decimal values. */
    public BooleanProperty hexProperty() {
        return hex;
    }

    public ExitRecord current() {
        return current;
    }

    public ExitRecord previous() {
        return previous;
    }

    /** The row named {@code name} (e.g. "RAX", "CS"), or null. */
    public RegisterRow row(String name) {
        for (RegisterRow r : rows) {
            if (!r.header() && r.name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** Re-reads the selected exit (call when the selection or the source changes). */
    public void update() {
        long seq = selection.seq();
        if (source == null || seq < 0 || seq >= source.columns().size()) {
            current = null;
            previous = null;
            if (initial != null && seq < 0 && source != null && source.size() == 0) {
                title.set("Registers · vCPU 0 · before the first instruction · " + initial.codeBits() + "-bit code");
                rows.setAll(build(initial, null));
            } else {
                rows.clear();
                title.set("Registers");
            }
            return;
        }
        current = source.get(seq);
        if (current == null) {
            rows.clear();
            title.set("Registers · exit #" + seq + " not available yet");
            return;
        }
        long p = source.columns().previousOfSameVcpu(seq);
        previous = p < 0 ? null : source.get(p);
        GuestState g = current.state();
        title.set(String.format("Registers · vCPU %d · exit #%d · %d-bit code%s", current.vcpu(), seq, g.codeBits(),
                previous == null ? " · first exit of this vCPU" : " · ● changed since #" + previous.seq()));
        rows.setAll(build(g, previous == null ? null : previous.state()));
    }

    static List<RegisterRow> build(GuestState g, GuestState prev) {
        List<RegisterRow> out = new ArrayList<>();
        int bits = g.longMode() ? 64 : g.codeBits() == 32 ? 32 : 64;
        int gprBits = g.longMode() ? 64 : 32;
        out.add(RegisterRow.header("GPRs"));
        for (int i = 0; i < StateLayout.GPR_COUNT; i++) {
            out.add(word(g, prev, GPR_NAMES[i], i, i < 8 || g.longMode() ? gprBits : 64, ""));
        }
        out.add(word(g, prev, "RIP", StateLayout.RIP, bits == 64 ? 64 : 32, ""));
        out.add(word(g, prev, "RFLAGS", StateLayout.RFLAGS, 32, RegisterText.rflags(g.rflags())));

        out.add(RegisterRow.header("Segments"));
        for (Segment s : Segment.values()) {
            SegmentState now = g.segment(s);
            boolean changed = prev != null && !now.equals(prev.segment(s));
            boolean system = s == Segment.TR || s == Segment.LDTR;
            out.add(RegisterRow.value(s.name(), now.selector(), 16, RegisterText.segment(now, system), changed));
        }

        out.add(RegisterRow.header("Control"));
        out.add(word(g, prev, "CR0", StateLayout.CR0, 32, RegisterText.cr0(g.cr0())));
        out.add(word(g, prev, "CR2", StateLayout.CR2, 64, "last page-fault address"));
        out.add(word(g, prev, "CR3", StateLayout.CR3, 64, RegisterText.cr3(g.cr3(), g.cr4())));
        out.add(word(g, prev, "CR4", StateLayout.CR4, 32, RegisterText.cr4(g.cr4())));
        out.add(word(g, prev, "CR8", StateLayout.CR8, 8, RegisterText.cr8(g.cr8())));
        out.add(word(g, prev, "EFER", StateLayout.EFER, 32, RegisterText.efer(g.efer())));
        out.add(word(g, prev, "APIC_BASE", StateLayout.APIC_BASE, 64, RegisterText.apicBase(g.apicBase())));

        out.add(RegisterRow.header("Tables"));
        out.add(word(g, prev, "GDTR.base", StateLayout.GDT_BASE, 64, "limit " + String.format("0x%x", g.gdtLimit())));
        out.add(word(g, prev, "GDTR.limit", StateLayout.GDT_LIMIT, 16, ((g.gdtLimit() + 1) / 8) + " descriptors"));
        out.add(word(g, prev, "IDTR.base", StateLayout.IDT_BASE, 64, "limit " + String.format("0x%x", g.idtLimit())));
        out.add(word(g, prev, "IDTR.limit", StateLayout.IDT_LIMIT, 16,
                ((g.idtLimit() + 1) / (g.longMode() ? 16 : 8)) + " vectors"));

        out.add(RegisterRow.header("Events"));
        out.add(RegisterRow.value("exception", g.exceptionNr(), 8, exceptionText(g),
                prev != null && prev.word(StateLayout.EV_EXCEPTION) != g.word(StateLayout.EV_EXCEPTION)));
        out.add(RegisterRow.value("interrupt", g.interruptNr(), 8, interruptText(g),
                prev != null && prev.word(StateLayout.EV_INTERRUPT_NMI) != g.word(StateLayout.EV_INTERRUPT_NMI)));

        out.add(RegisterRow.header("Debug"));
        if (g.isFull()) {
            for (int i = 0; i < 4; i++) {
                out.add(word(g, prev, "DR" + i, StateLayout.DR0 + i, 64, "breakpoint address " + i));
            }
            out.add(word(g, prev, "DR6", StateLayout.DR6, 32, RegisterText.dr6(g.dr6())));
            out.add(word(g, prev, "DR7", StateLayout.DR7, 32, RegisterText.dr7(g.dr7())));
            out.add(RegisterRow.header("MSRs"));
            for (Msr m : Msr.values()) {
                out.add(word(g, prev, m.name(), StateLayout.msrWord(m), 64, String.format("MSR 0x%x", m.index)));
            }
            out.add(RegisterRow.value("MP state", g.mpState(), 8, mpState(g.mpState()),
                    prev != null && prev.isFull() && prev.mpState() != g.mpState()));
        } else {
            out.add(RegisterRow.unavailable("DR0–DR7",
                    "not captured: this run used the fast snapshot level (run with --snapshot full)"));
            out.add(RegisterRow.unavailable("MSRs",
                    "not captured: this run used the fast snapshot level (run with --snapshot full)"));
        }
        return out;
    }

    private static RegisterRow word(GuestState g, GuestState prev, String name, int word, int bits, String decoded) {
        long v = g.word(word);
        boolean changed = prev != null && prev.word(word) != v
                && (word < StateLayout.FAST_WORDS || prev.isFull());
        if (bits < 64) {
            v &= (1L << bits) - 1;
        }
        return RegisterRow.value(name, v, bits, decoded, changed);
    }

    private static String exceptionText(GuestState g) {
        if (!g.exceptionInjected() && !g.exceptionPending()) {
            return "none pending";
        }
        return String.format("#%d %s%s", g.exceptionNr(), g.exceptionInjected() ? "injected" : "pending",
                g.exceptionHasErrorCode() ? String.format(" error 0x%x", g.exceptionErrorCode()) : "");
    }

    private static String interruptText(GuestState g) {
        StringBuilder b = new StringBuilder();
        b.append(g.interruptInjected() ? "vector " + g.interruptNr() + " injected" + (g.interruptSoft() ? " (soft)" : "")
                : "none injected");
        int sh = g.interruptShadow();
        if ((sh & 1) != 0) {
            b.append(" · MOV SS shadow");
        }
        if ((sh & 2) != 0) {
            b.append(" · STI shadow");
        }
        if (g.nmiPending()) {
            b.append(" · NMI pending");
        }
        if (g.nmiMasked()) {
            b.append(" · NMI masked");
        }
        return b.toString();
    }

    private static String mpState(int s) {
        return switch (s) {
            case 0 -> "runnable";
            case 1 -> "uninitialized";
            case 2 -> "INIT received";
            case 3 -> "halted";
            case 4 -> "SIPI received";
            default -> "state " + s;
        };
    }
}
