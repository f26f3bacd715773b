package dev.vmscope.app.ui.memory;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.breakpoints.BreakpointsViewModel;
import dev.vmscope.app.ui.session.GuestBytes;
import dev.vmscope.app.ui.session.LiveRead;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.trace.CodePages;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * The memory tab's model: a hex dump of live guest memory at a typed address or at a register of the selected
 * exit, linear (through that vCPU's page tables) or guest-physical. Reads run on the control thread, one at a
 * time, only while the tab shows; what cannot be read (not mapped, outside RAM) comes back as a message.
 */
public final class MemoryViewModel {
    /** Bytes shown. */
    public static final int LENGTH = 512;
    public static final String TRACE_NOTE = "Guest memory is only there while the guest runs: this trace kept each"
            + " exit's registers and no code. Run the guest live — double-click its sample — to look at its memory.";
    public static final String NO_SESSION = "Open a guest to look at its memory.";

    /** Where the dump starts: a typed address, or a register of the selected exit. */
    public record Target(String name, ToLongFunction<GuestState> value, Segment segment, boolean physical,
                         String about) {
        @Override
        public String toString() {
            return name;
        }

        boolean isAddress() {
            return value == null;
        }
    }

    public static final Target ADDRESS = new Target("address", null, null, false, "the address typed");
    /** The registers offered, each with the segment it addresses memory through. */
    public static final List<Target> TARGETS = List.of(ADDRESS,
            new Target("RIP", GuestState::rip, Segment.CS, false, "the next instruction"),
            new Target("RSP", GuestState::rsp, Segment.SS, false, "the top of the stack"),
            new Target("RBP", GuestState::rbp, Segment.SS, false, "the stack frame"),
            new Target("RSI", GuestState::rsi, Segment.DS, false, "the source of string instructions"),
            new Target("RDI", GuestState::rdi, Segment.ES, false, "the destination of string instructions"),
            new Target("RAX", GuestState::rax, Segment.DS, false, ""),
            new Target("RBX", GuestState::rbx, Segment.DS, false, ""),
            new Target("RCX", GuestState::rcx, Segment.DS, false, ""),
            new Target("RDX", GuestState::rdx, Segment.DS, false, ""),
            new Target("CR2", GuestState::cr2, null, false, "the last page-fault address"),
            new Target("CR3", s -> s.cr3() & 0x000FFFFFFFFFF000L, null, true, "the top page table"),
            new Target("GDTR", GuestState::gdtBase, null, false, "the GDT"),
            new Target("IDTR", GuestState::idtBase, null, false, "the IDT"));

    private final ExitSelection selection;
    private final LiveRead live = new LiveRead();
    private final ObjectProperty<Target> target = new SimpleObjectProperty<>(this, "target", TARGETS.get(1));
    private final StringProperty addressText = new SimpleStringProperty(this, "addressText", "");
    private final BooleanProperty physical = new SimpleBooleanProperty(this, "physical");
    private final ReadOnlyObjectWrapper<HexDump> dump = new ReadOnlyObjectWrapper<>(this, "dump");
    private final ReadOnlyStringWrapper where = new ReadOnlyStringWrapper(this, "where", "");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", NO_SESSION);
    private final ReadOnlyObjectWrapper<GuestBytes> bytes = new ReadOnlyObjectWrapper<>(this, "bytes");
    /** How many characters of a dump line the view shows without scrolling (0: as many as a line has). */
    private final IntegerProperty columns = new SimpleIntegerProperty(this, "columns", 0);

    record Result(GuestBytes bytes, String where, String message) {
    }

    public MemoryViewModel(ExitSelection selection) {
        this.selection = selection;
        selection.seqProperty().addListener(o -> {
            if (!target.get().isAddress()) {
                live.invalidateNow(this::start);
            }
        });
        target.addListener(o -> invalidate());
        physical.addListener(o -> invalidate());
        columns.addListener(o -> {
            HexDump d = dump.get();
            if (d != null && bytes.get() != null && HexDump.perLineFor(bytes.get(), columns.get()) != d.perLine()) {
                dump.set(dumpOf(bytes.get()));   // only a new line length: the view scrolls back to the top
            }
        });
    }

    /** The room the view has for a dump line, in characters: a narrow pane gets fewer bytes a line. */
    public IntegerProperty columnsProperty() {
        return columns;
    }

    private HexDump dumpOf(GuestBytes b) {
        return b == null ? null : HexDump.of(b, HexDump.perLineFor(b, columns.get()));
    }

    public void setMarkDirty(Runnable r) {
        live.setMarkDirty(r);
    }

    public ObjectProperty<Target> targetProperty() {
        return target;
    }

    /** The address typed (hex); used when the target is {@link #ADDRESS}. */
    public StringProperty addressTextProperty() {
        return addressText;
    }

    /** Guest-physical (true) or linear through the page tables (false). */
    public BooleanProperty physicalProperty() {
        return physical;
    }

    public BooleanProperty activeProperty() {
        return live.activeProperty();
    }

    public ReadOnlyObjectProperty<HexDump> dumpProperty() {
        return dump.getReadOnlyProperty();
    }

    /** The bytes behind the dump (null when none). */
    public ReadOnlyObjectProperty<GuestBytes> bytesProperty() {
        return bytes.getReadOnlyProperty();
    }

    /** What the dump shows, e.g. {@code linear 0x1010 = CS.base 0x0 + RIP 0x1010 · vCPU 0 · exit #4}. */
    public ReadOnlyStringProperty whereProperty() {
        return where.getReadOnlyProperty();
    }

    /** Why there is no dump or part of it is missing; empty when all is well. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public void setSession(UiSession s) {
        live.setSession(s);
        dump.set(null);
        bytes.set(null);
        where.set("");
        if (s == null) {
            message.set(NO_SESSION);
        } else if (!LiveRead.hasMemory(s)) {
            message.set(TRACE_NOTE);
        } else {
            message.set("");
            invalidate();
        }
    }

    /** Shows memory at {@code text} (hex): the Go button and Enter in the address field. */
    public void goTo(String text) {
        addressText.set(text == null ? "" : text.trim());
        if (target.get() != ADDRESS) {
            target.set(ADDRESS);   // invalidates
        } else {
            invalidate();
        }
    }

    /** Read again at the next frame (the guest ran, the user asked). */
    public void invalidate() {
        live.invalidate();
    }

    /** From the frame slot. */
    public void refresh() {
        live.refresh(this::start);
    }

    private void start() {
        Target t = target.get();
        Long typed = null;
        if (t.isAddress()) {
            typed = BreakpointsViewModel.parseHex(addressText.get());
            if (typed == null) {
                live.skip();
                dump.set(null);
                bytes.set(null);
                where.set("");
                message.set(addressText.get().isBlank() ? "Type an address (hex) and press Enter, or pick a register."
                        : "'" + addressText.get() + "' is not an address: type hex, e.g. 0x1000");
                return;
            }
        }
        long seq = selection.seq();
        Long at = typed;
        boolean phys = physical.get();
        Consumer<Result> show = r -> {
            bytes.set(r.bytes());
            dump.set(dumpOf(r.bytes()));
            where.set(r.where());
            message.set(r.message());
        };
        Consumer<String> failed = failure -> {
            dump.set(null);
            bytes.set(null);
            message.set("Cannot read guest memory: " + failure);
        };
        live.read(seq, d -> read(d, seq, t, at, phys), src -> readRecorded(src, seq, t, at, phys), show, failed);
    }

    /** On a worker: the target at a replayed exit, from the code pages the trace kept (by linear address). */
    static Result readRecorded(ExitSource src, long seq, Target t, Long typed, boolean physicalWanted) {
        ExitRecord r = src.get(seq);
        if (r == null) {
            return new Result(null, "", "Exit #" + seq + " is not in the trace.");
        }
        Place p = place(r.state(), t, typed, physicalWanted);
        if (p.physical()) {
            return new Result(null, p.how(), "The trace kept code pages by linear address only: untick physical, or"
                    + " run the guest live to read guest-physical memory.");
        }
        CodePages pages = src.codePages();
        GuestBytes b = GuestBytes.read((at, n) -> pages.readLinear(r.state(), at, n), true, p.address(), LENGTH);
        return result(b, p.how() + " · vCPU " + r.vcpu() + " · exit #" + seq
                + " · the code pages the trace kept (other memory is not in a trace)");
    }

    /** Where a target points at an exit, and how that address was formed. */
    private record Place(long address, boolean physical, String how) {
    }

    /** On the control thread: resolve the target at the selected exit and read {@link #LENGTH} bytes there. */
    static Result read(DebugSession d, long seq, Target t, Long typed, boolean physicalWanted) {
        ExitRecord r = seq >= 0 ? d.exits().get(seq) : null;
        int vcpu = r != null ? r.vcpu() : 0;
        GuestState st = r != null ? r.state() : d.currentState(0);
        String at = "vCPU " + vcpu + (r != null ? " · exit #" + r.seq() : " · before its first exit");
        Place p = place(st, t, typed, physicalWanted);
        String mode = p.physical() ? "guest-physical, no translation" : "through vCPU " + vcpu + "'s page tables";
        GuestBytes b = GuestBytes.read(d, vcpu, !p.physical(), p.address(), LENGTH);
        return result(b, p.how() + " · " + mode + " · " + at + " · memory as it is now");
    }

    private static Place place(GuestState st, Target t, Long typed, boolean physicalWanted) {
        boolean phys = physicalWanted || t.physical();
        long address;
        String how;
        if (t.isAddress()) {
            address = typed;
            how = String.format("%s 0x%x", phys ? "physical" : "linear", address);
        } else {
            long v = t.value().applyAsLong(st);
            long base = 0;
            if (t.segment() != null && !(st.longMode() && st.codeBits() == 64)) {
                base = st.segment(t.segment()).base();   // 64-bit code: CS/DS/ES/SS bases are 0
            }
            if (t.segment() != null && st.codeBits() == 16) {
                v &= 0xFFFF;
            } else if (t.segment() != null && st.codeBits() == 32) {
                v &= 0xFFFFFFFFL;
            }
            address = base + v;
            if (t.segment() != null) {
                how = String.format("%s 0x%x = %s.base 0x%x + %s 0x%x", phys ? "physical" : "linear", address,
                        t.segment().name(), base, t.name(), v);
            } else {
                how = String.format("%s 0x%x = %s", phys ? "physical" : "linear", address, t.name());
            }
            if (!t.about().isEmpty()) {
                how += " (" + t.about() + ")";
            }
        }
        return new Place(address, phys, how);
    }

    private static Result result(GuestBytes b, String where) {
        String msg = "";
        if (b.readable().isEmpty()) {
            msg = "Nothing to show: " + b.error();
        } else if (!b.complete()) {
            msg = "Some bytes could not be read (shown as ??): " + b.error();
        }
        return new Result(b.readable().isEmpty() ? null : b, where, msg);
    }
}
