package dev.vmscope.app.ui.disasm;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.session.GuestBytes;
import dev.vmscope.app.ui.session.LiveRead;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.trace.CodePages;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.vmcs.InstructionBytes;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.function.Consumer;

/**
 * The disassembly tab's model: the instructions around RIP of the selected exit's vCPU, read from the live
 * guest's memory on the control thread, decoded there, and shown as {@link ListingText}. A selection starts
 * its read at once; changes meanwhile are coalesced (one read in flight; only while the tab shows). A replay
 * disassembles the code pages its trace kept, on the selection lane. Both name addresses with the guest's symbols (labels, call targets).
 */
public final class DisassemblyViewModel {
    public static final String TRACE_NOTE = "This trace kept no guest code (it was recorded before vmscope kept code"
            + " pages). Run the guest live — double-click its sample — to disassemble around RIP.";
    public static final String NO_SESSION = "Open a guest to disassemble around RIP.";

    private final ExitSelection selection;
    private final LiveRead live = new LiveRead();
    private final ReadOnlyObjectWrapper<ListingText> listing = new ReadOnlyObjectWrapper<>(this, "listing");
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title", "Disassembly");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", NO_SESSION);

    /** The answer of one read: what to show. */
    record Result(ListingText text, String title, String message) {
    }

    public DisassemblyViewModel(ExitSelection selection) {
        this.selection = selection;
        selection.seqProperty().addListener(o -> live.invalidateNow(this::start));
    }

    /** How to get {@link #refresh} called at the next frame (the view's frame slot). */
    public void setMarkDirty(Runnable r) {
        live.setMarkDirty(r);
    }

    /** The listing to show, or null (then {@link #messageProperty()} says why). */
    public ReadOnlyObjectProperty<ListingText> listingProperty() {
        return listing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** Why there is no listing, or a remark about it; empty when all is well. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True while the tab shows; reads wait until it does. */
    public BooleanProperty activeProperty() {
        return live.activeProperty();
    }

    public void setSession(UiSession s) {
        live.setSession(s);
        listing.set(null);
        title.set("Disassembly");
        if (s == null) {
            message.set(NO_SESSION);
        } else if (!LiveRead.hasMemory(s)) {
            message.set(TRACE_NOTE);
        } else {
            message.set("");
            invalidate();
        }
    }

    /** The guest may have changed (it ran, the selection moved): read again at the next frame. */
    public void invalidate() {
        live.invalidate();
    }

    /** From the frame slot: starts a read if one is wanted, the tab shows and none is on its way. */
    public void refresh() {
        live.refresh(this::start);
    }

    private void start() {
        long seq = selection.seq();
        Consumer<Result> show = r -> {
            listing.set(r.text());
            title.set(r.title());
            message.set(r.message());
        };
        Consumer<String> failed = failure -> {
            listing.set(null);
            message.set("Cannot disassemble: " + failure);
        };
        live.read(seq, d -> read(d, seq), src -> readRecorded(src, seq), show, failed);
    }

    /** On the control thread: the selected exit's vCPU state, its code bytes, decoded. */
    static Result read(DebugSession d, long seq) {
        ExitRecord r = seq >= 0 ? d.exits().get(seq) : null;
        int vcpu = r != null ? r.vcpu() : 0;
        GuestState st = r != null ? r.state() : d.currentState(0);
        long rip = DebugSession.codeAddress(st);
        String where = where(st, rip);
        String title = "vCPU " + vcpu + (r != null ? " · exit #" + r.seq() : " · before its first exit") + " · " + where;
        String note = r != null && !d.currentState(vcpu).equals(r.state())
                ? "vCPU " + vcpu + " has run on since this exit: the code is shown as memory holds it now." : "";
        long from = windowStart(rip);
        GuestBytes bytes = GuestBytes.read(d, vcpu, true, from, windowLength(rip));
        return listing(r, st, rip, bytes, d.exits().symbols(), title, note);
    }

    /** On a worker: the selected exit of a replay, disassembled from the code pages its trace kept. */
    static Result readRecorded(ExitSource src, long seq) {
        ExitRecord r = src.get(seq);
        if (r == null) {
            return new Result(null, "Disassembly", "Exit #" + seq + " is not in the trace.");
        }
        GuestState st = r.state();
        long rip = st.codeLinearAddress();
        String title = "vCPU " + r.vcpu() + " · exit #" + seq + " · " + where(st, rip);
        CodePages pages = src.codePages();
        GuestBytes bytes = GuestBytes.read((at, n) -> pages.readLinear(st, at, n), true, windowStart(rip),
                windowLength(rip));
        return listing(r, st, rip, bytes, src.symbols(), title,
                "Code as the trace kept it when the guest first ran there.");
    }

    /** Where the window before RIP starts; addresses are unsigned (64-bit kernels run at 0xffff…). */
    private static long windowStart(long rip) {
        return Long.compareUnsigned(rip, Listing.BACK_BYTES) < 0 ? 0 : rip - Listing.BACK_BYTES;
    }

    private static int windowLength(long rip) {
        return (int) (rip - windowStart(rip)) + Listing.WINDOW * 15;
    }

    /**
     * The listing around {@code rip} from whatever bytes could be read around it, the exit's own instruction
     * marked: where KVM has already moved RIP past it (HLT, OUT, an MMIO write), that is the one before RIP.
     */
    private static Result listing(ExitRecord r, GuestState st, long rip, GuestBytes bytes, SymbolTable symbols,
                                  String title, String note) {
        long from = bytes.address();
        int[] run = bytes.runAround(rip);
        if (run == null) {
            return new Result(null, title, "Cannot read the code at RIP: " + bytes.error());
        }
        byte[] code = java.util.Arrays.copyOfRange(bytes.data(), run[0], run[1]);
        long base = from + run[0];
        InstructionBytes.Located exiting = r == null ? null : InstructionBytes.find(r, (at, n) -> {
            if (at < base || at + n > base + code.length) {
                throw new IllegalArgumentException("outside the bytes read");
            }
            return java.util.Arrays.copyOfRange(code, (int) (at - base), (int) (at - base) + n);
        });
        long mark = exiting != null && exiting.beforeRip() ? exiting.linear() : rip;
        if (mark != rip) {
            note = (note.isEmpty() ? "" : note + " ") + String.format("RIP 0x%x is already past the instruction "
                    + "that exited (KVM stepped over it); the mark is on that instruction.", st.rip());
        }
        Listing l;
        try {
            l = Listing.around(code, base, mark, st.codeBits(), Listing.BEFORE, Listing.WINDOW);
        } catch (UnsupportedOperationException e) {
            return new Result(null, title, "The x86 disassembler is not available in this build yet ("
                    + e.getMessage() + "). Registers and memory still show the exit.");
        } catch (RuntimeException e) {
            return new Result(null, title, "Cannot disassemble at RIP: " + e.getMessage());
        }
        String remark = note.isEmpty() ? l.note() : l.note().isEmpty() ? note : note + " " + l.note();
        return new Result(ListingText.of(l, symbols), title, remark);
    }

    /** e.g. {@code RIP 0x100c · CS:IP 0000:100c · 16-bit code}. */
    static String where(GuestState st, long linear) {
        int bits = st.codeBits();
        if (bits == 64) {
            return String.format("RIP 0x%x · 64-bit code", st.rip());
        }
        int cs = st.segment(StateLayout.Segment.CS).selector();
        String csip = bits == 16 ? String.format("CS:IP %04x:%04x", cs, st.rip() & 0xFFFF)
                : String.format("CS:EIP %04x:%08x", cs, st.rip() & 0xFFFFFFFFL);
        return String.format("linear 0x%x · %s · %d-bit code", linear, csip, bits);
    }
}
