package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.exit.KvmExitReason;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The breakpoints panel's model: a checklist of exit reasons, each with optional conditions, and up to four
 * hardware address breakpoints; hit counts and the engine's errors per row; saved per guest. No nodes. It
 * never calls the engine itself: a {@link BreakpointEngine} does, on the control thread, and answers come back
 * through the {@code fx} executor. Without an engine (a replay, nothing open) it is read-only.
 */
public final class BreakpointsViewModel {
    /** The CPU has four debug address registers, DR0–DR3. */
    public static final int MAX_ADDRESS = 4;

    private static final String ANY = "vcpu=N rip=A-B hit=N";

    private final ObservableList<ReasonBreakpoint> reasons = FXCollections.observableArrayList();
    private final ObservableList<AddressBreakpointRow> addresses = FXCollections.observableArrayList();
    private final BooleanProperty editable = new SimpleBooleanProperty(this, "editable");
    private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper(this, "hint",
            "Open a guest to set breakpoints.");
    private final ReadOnlyStringWrapper addressMessage = new ReadOnlyStringWrapper(this, "addressMessage", "");
    private final ReadOnlyStringWrapper saveError = new ReadOnlyStringWrapper(this, "saveError", "");
    private final BooleanBinding full = Bindings.size(addresses).greaterThanOrEqualTo(MAX_ADDRESS);
    private final Executor fx;
    private final Executor io;
    /** Keys set in the current engine (FX thread). */
    private final Set<String> applied = new HashSet<>();

    private BreakpointEngine engine;
    private String guest;
    private BreakpointFile file;
    private boolean loading;
    private boolean countsInFlight;
    private boolean countsAgain;
    private long saveVersion;
    private Runnable wantCounts = () -> { };

    /** The window's model: answers hop onto the FX thread, files are read and written off it. */
    public BreakpointsViewModel() {
        this(FxThread::run, FxThread::background);
    }

    /** For tests: {@code fx} runs engine answers, {@code io} reads and saves files. */
    public BreakpointsViewModel(Executor fx, Executor io) {
        this.fx = fx;
        this.io = io;
        reason(KvmExitReason.IO, "IO", "port=0x3f8[-0x3ff] in|out", true);
        reason(KvmExitReason.MMIO, "MMIO", "addr=0xd0000000[-0xd0000fff] read|write", true);
        reason(KvmExitReason.HLT, "HLT", "vcpu=N hit=N", true);
        reason(KvmExitReason.X86_RDMSR, "RDMSR", "index=0x1b[-0x1ff]", true);
        reason(KvmExitReason.X86_WRMSR, "WRMSR", "index=0x277", true);
        reason(KvmExitReason.SHUTDOWN, "SHUTDOWN", ANY, true);
        reason(KvmExitReason.DEBUG, "DEBUG", ANY, true);
        reason(KvmExitReason.INTR, "INTR", ANY, false);
        reason(KvmExitReason.FAIL_ENTRY, "FAIL_ENTRY", ANY, false);
        reason(KvmExitReason.INTERNAL_ERROR, "INTERNAL_ERROR", ANY, false);
        reason(KvmExitReason.SYSTEM_EVENT, "SYSTEM_EVENT", ANY, false);
        reason(KvmExitReason.EXCEPTION, "EXCEPTION", ANY, false);
        reason(KvmExitReason.HYPERCALL, "HYPERCALL", ANY, false);
        reason(KvmExitReason.IRQ_WINDOW_OPEN, "IRQ_WINDOW_OPEN", ANY, false);
    }

    private void reason(KvmExitReason r, String name, String example, boolean common) {
        ReasonBreakpoint row = new ReasonBreakpoint(r, name, example, common);
        row.checkedProperty().addListener((o, a, b) -> {
            if (!loading) {
                apply(row);
                save();
            }
        });
        reasons.add(row);
    }

    // ---- what the view shows ----

    public ObservableList<ReasonBreakpoint> reasons() {
        return reasons;
    }

    public ObservableList<AddressBreakpointRow> addresses() {
        return addresses;
    }

    /** The row for reason {@code name} (IO, HLT, RDMSR …), or null. */
    public ReasonBreakpoint reason(String name) {
        for (ReasonBreakpoint r : reasons) {
            if (r.name().equalsIgnoreCase(name)) {
                return r;
            }
        }
        return null;
    }

    /** True while a live guest is open: rows can be changed. */
    public ReadOnlyBooleanProperty editableProperty() {
        return editable;
    }

    /** Why the panel is read-only, or empty. */
    public ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    /** About adding an address breakpoint: a bad address, or all four debug registers in use. */
    public ReadOnlyStringProperty addressMessageProperty() {
        return addressMessage.getReadOnlyProperty();
    }

    /** Why the breakpoints could not be saved, or empty. */
    public ReadOnlyStringProperty saveErrorProperty() {
        return saveError.getReadOnlyProperty();
    }

    /** True when four address breakpoints exist. */
    public BooleanBinding fullProperty() {
        return full;
    }

    /** The guest whose breakpoints these are, or null. */
    public String guest() {
        return guest;
    }

    // ---- sessions ----

    /** Saves rows per guest in {@code f} (null: not saved; tests and tools leave the user's files alone). */
    public void setFile(BreakpointFile f) {
        file = f;
    }

    /** Called when hit counts should be asked for again at the next frame (the view's frame slot). */
    public void setWantCounts(Runnable r) {
        wantCounts = r == null ? () -> { } : r;
    }

    /**
     * A live guest opened: its breakpoints become editable and are set in {@code e}. Another guest's rows are
     * replaced by what was saved for {@code guestName}; the same guest (a restart) keeps the rows as they are.
     */
    public void attach(BreakpointEngine e, String guestName) {
        engine = e;
        applied.clear();
        clearLive();
        hint.set("");
        boolean sameGuest = guestName.equals(guest);
        guest = guestName;
        if (sameGuest || file == null) {
            editable.set(true);
            applyAll();
            return;
        }
        editable.set(false);
        hint.set("loading the breakpoints saved for " + guestName + "…");
        loadThen(guestName, () -> {
            if (engine == e) {
                hint.set("");
                editable.set(true);
                applyAll();
            }
        });
    }

    /** Nothing live is open: read-only, with {@code why} shown. */
    public void detach(String why) {
        engine = null;
        applied.clear();
        editable.set(false);
        clearLive();
        hint.set(why);
    }

    /** A recording of {@code guestName} is open: its saved breakpoints are shown, read-only, with {@code why}. */
    public void showReadOnly(String guestName, String why) {
        detach(why);
        if (guestName != null && !guestName.equals(guest) && file != null) {
            guest = guestName;
            loadThen(guestName, () -> { });
        }
    }

    private void loadThen(String guestName, Runnable then) {
        BreakpointFile f = file;
        CompletableFuture.supplyAsync(() -> f.load(guestName), io).whenComplete((saved, err) -> fx.execute(() -> {
            if (guestName.equals(guest)) {
                restore(err != null ? BreakpointFile.Saved.EMPTY : saved);
                // an unreadable file was set aside, not lost: say where (the save error line shows it)
                saveError.set(err == null ? "" : rootMessage(err));
            }
            then.run();
        }));
    }

    private void restore(BreakpointFile.Saved saved) {
        loading = true;
        try {
            for (ReasonBreakpoint r : reasons) {
                r.checkedProperty().set(false);
                r.conditionsProperty().set("");
            }
            for (BreakpointFile.Reason s : saved.reasons()) {
                ReasonBreakpoint r = reason(s.name());
                if (r != null) {
                    r.conditionsProperty().set(s.conditions());
                    r.checkedProperty().set(s.checked());
                }
            }
            addresses.clear();
            for (BreakpointFile.Address a : saved.addresses()) {
                if (addresses.size() < MAX_ADDRESS) {
                    AddressBreakpointRow row = newAddressRow(a.address(), a.kind(), a.length());
                    row.enabledProperty().set(a.enabled());
                    addresses.add(row);
                }
            }
        } finally {
            loading = false;
        }
    }

    private void clearLive() {
        rows().forEach(BreakpointRow::clearLive);
        addressMessage.set("");
        countsInFlight = false;
        countsAgain = false;
    }

    private void applyAll() {
        for (ReasonBreakpoint r : reasons) {
            if (r.checked()) {
                apply(r);
            }
        }
        for (AddressBreakpointRow a : addresses) {
            if (a.enabled()) {
                apply(a);
            }
        }
    }

    // ---- edits (FX thread) ----

    /** Sets a reason row's conditions (the engine's syntax after the reason, e.g. {@code port=0x3f8 out}). */
    public void setConditions(ReasonBreakpoint r, String text) {
        String c = text == null ? "" : text.trim().replaceAll("\\s+", " ");
        if (c.equals(r.conditionsProperty().get())) {
            if (r.checked() && !r.errorProperty().get().isEmpty()) {
                apply(r);   // try again (e.g. Enter on an unchanged bad condition)
            }
            return;
        }
        r.conditionsProperty().set(c);
        if (r.checked() || applied.contains(r.key())) {
            apply(r);
        }
        save();
    }

    private void apply(ReasonBreakpoint r) {
        BreakpointEngine e = engine;
        if (e == null) {
            return;
        }
        if (!r.checked() && !applied.contains(r.key())) {
            r.errorProperty().set("");
            return;   // never set: nothing to switch off
        }
        applied.add(r.key());
        e.applyExit(r.key(), r.spec(), r.checked()).whenComplete((a, err) -> fx.execute(() -> {
            if (e != engine) {
                return;
            }
            String msg = err != null ? rootMessage(err) : a.error();
            r.errorProperty().set(msg == null ? "" : msg);
            if (msg != null || a.id() < 0) {
                r.hitsProperty().set(-1);
                r.stoppedProperty().set(false);
                applied.remove(r.key());
            }
            requestCounts();
        }));
    }

    /**
     * Adds a hardware breakpoint at {@code addressText} (hex; {@code 0x} optional); false, with
     * {@link #addressMessageProperty} saying why, when the address is not a number or all four are in use.
     */
    public boolean addAddress(String addressText, AddressBreakpoint.Kind kind, int length) {
        if (addresses.size() >= MAX_ADDRESS) {
            addressMessage.set("All four debug registers (DR0–DR3) are in use: delete an address breakpoint first.");
            return false;
        }
        Long a = parseHex(addressText);
        if (a == null) {
            addressMessage.set("'" + (addressText == null ? "" : addressText.trim())
                    + "' is not an address: type hex, e.g. 0x1010");
            return false;
        }
        addressMessage.set("");
        AddressBreakpointRow row = newAddressRow(a, kind, length);
        addresses.add(row);
        apply(row);
        save();
        return true;
    }

    private AddressBreakpointRow newAddressRow(long address, AddressBreakpoint.Kind kind, int length) {
        AddressBreakpointRow row = new AddressBreakpointRow(address, kind, length);
        row.enabledProperty().addListener((o, was, on) -> {
            if (!loading) {
                apply(row);
                save();
            }
        });
        return row;
    }

    /** Deletes an address breakpoint (its debug register is free again). */
    public void removeAddress(AddressBreakpointRow row) {
        if (!addresses.remove(row)) {
            return;
        }
        addressMessage.set("");
        if (engine != null && applied.remove(row.key())) {
            engine.remove(row.key());
        }
        save();
    }

    private void apply(AddressBreakpointRow row) {
        BreakpointEngine e = engine;
        if (e == null) {
            return;
        }
        applied.add(row.key());
        e.applyAddress(row.key(), row.address(), row.kind(), row.length(), row.enabled())
                .whenComplete((a, err) -> fx.execute(() -> {
                    if (e != engine || !addresses.contains(row)) {
                        return;
                    }
                    String msg = err != null ? rootMessage(err) : a.error();
                    row.errorProperty().set(msg == null ? "" : msg);
                    requestCounts();
                }));
    }

    /** Hex with or without {@code 0x} (and a trailing {@code h}); underscores ignored; null when not a number. */
    public static Long parseHex(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        if (t.startsWith("0x")) {
            t = t.substring(2);
        } else if (t.endsWith("h")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.isEmpty() || t.length() > 16) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- hit counts ----

    /**
     * Asks the engine for hit counts, unless an answer is still on its way (then once more when it arrives, at
     * the next frame). The view calls this from its frame slot, so counts refresh at most once per frame.
     */
    public void requestCounts() {
        BreakpointEngine e = engine;
        if (e == null || applied.isEmpty()) {
            return;
        }
        if (countsInFlight) {
            countsAgain = true;
            return;
        }
        countsInFlight = true;
        e.counts().whenComplete((c, err) -> fx.execute(() -> {
            if (e != engine) {
                return;
            }
            countsInFlight = false;
            if (c != null) {
                showCounts(c);
            }
            if (countsAgain) {
                countsAgain = false;
                wantCounts.run();
            }
        }));
    }

    private void showCounts(BreakpointEngine.Counts c) {
        rows().forEach(r -> r.show(c));
    }

    /** Every row, reasons first. */
    private Stream<BreakpointRow> rows() {
        return Stream.concat(reasons.stream(), addresses.stream());
    }

    // ---- saving ----

    /** The rows as saved: reasons that are checked or have conditions, and every address row. */
    public BreakpointFile.Saved snapshot() {
        List<BreakpointFile.Reason> rs = new ArrayList<>();
        for (ReasonBreakpoint r : reasons) {
            if (r.checked() || !r.conditionsProperty().get().isBlank()) {
                rs.add(new BreakpointFile.Reason(r.name(), r.checked(), r.conditionsProperty().get()));
            }
        }
        List<BreakpointFile.Address> as = new ArrayList<>();
        for (AddressBreakpointRow a : addresses) {
            as.add(new BreakpointFile.Address(a.address(), a.kind(), a.length(), a.enabled()));
        }
        return new BreakpointFile.Saved(rs, as);
    }

    private void save() {
        BreakpointFile f = file;
        String g = guest;
        if (f == null || g == null || loading) {
            return;
        }
        BreakpointFile.Saved s = snapshot();
        long v = ++saveVersion;
        CompletableFuture.runAsync(() -> f.save(g, s, v), io).whenComplete((x, err) -> fx.execute(() ->
                saveError.set(err == null ? "" : "Breakpoints not saved: " + rootMessage(err))));
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException || c instanceof java.io.UncheckedIOException)
                && c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        if (c instanceof java.util.concurrent.CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }
}
