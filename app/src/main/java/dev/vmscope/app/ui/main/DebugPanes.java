package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.breakpoints.BreakpointsView;
import dev.vmscope.app.ui.breakpoints.BreakpointsViewModel;
import dev.vmscope.app.ui.breakpoints.LiveBreakpointEngine;
import dev.vmscope.app.ui.disasm.DisassemblyView;
import dev.vmscope.app.ui.disasm.DisassemblyViewModel;
import dev.vmscope.app.ui.memory.MemoryView;
import dev.vmscope.app.ui.memory.MemoryViewModel;
import dev.vmscope.app.ui.record.RecordViewModel;
import dev.vmscope.app.ui.session.LiveSession;
import dev.vmscope.app.ui.session.UiSession;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.stage.FileChooser;
import javafx.stage.Window;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * The debugger's own panes in the main window — breakpoints, disassembly, memory — and the Record toggle:
 * their models, what they do when a session opens, and the per-frame check that tells them the guest moved.
 * Kept apart from {@link MainWindow} so the window's controller only wires this in.
 */
public final class DebugPanes {
    private final MainViewModel main;
    private final BreakpointsViewModel breakpoints = new BreakpointsViewModel();
    private final DisassemblyViewModel disassembly;
    private final MemoryViewModel memory;
    private final RecordViewModel record;
    private final BreakpointsView breakpointsView;
    private final ToggleButton recordButton;
    private Function<Window, Path> recordChooser = DebugPanes::chooseTraceFile;
    private Function<String, Boolean> restartConfirm;
    private UiSession polled;
    private UiSession.State lastState;
    /** The session's state version at the last poll: a stop the poll never saw running still counts. */
    private long lastVersion = -1;
    private long lastSize = -1;

    private DebugPanes(MainViewModel main, BreakpointsView bv, ToggleButton recordButton) {
        this.main = main;
        this.breakpointsView = bv;
        this.recordButton = recordButton;
        this.disassembly = new DisassemblyViewModel(main.selection());
        this.memory = new MemoryViewModel(main.selection());
        this.record = new RecordViewModel(main.sessionProperty(), main.bannerProperty(), main::restart);
        this.restartConfirm = this::confirmRestart;
    }

    /** Wires the panes into the window (FX thread, once, from {@link MainWindow}'s bind). */
    static DebugPanes bind(MainViewModel main, FrameUpdater frames, BreakpointsView bv, DisassemblyView dv,
                           Tab disassemblyTab, MemoryView mv, Tab memoryTab, ToggleButton recordButton,
                           Label recordLabel) {
        DebugPanes p = new DebugPanes(main, bv, recordButton);
        bv.bind(p.breakpoints, frames);
        dv.bind(p.disassembly, frames);
        mv.bind(p.memory, frames);
        p.disassembly.activeProperty().bind(disassemblyTab.selectedProperty());
        p.memory.activeProperty().bind(memoryTab.selectedProperty());

        recordButton.disableProperty().bind(p.record.availableProperty().not());
        recordButton.setSelected(false);
        recordButton.setOnAction(e -> p.onRecord());
        p.record.recordingProperty().addListener((o, a, b) -> recordButton.setSelected(b));
        Tooltip t = new Tooltip("Record this live guest to a .vmtrace file, from its first exit (a guest that has"
                + " run already restarts); press again to stop and close the file");
        t.setShowDuration(javafx.util.Duration.seconds(10));
        recordButton.setTooltip(t);
        recordLabel.textProperty().bind(p.record.statusProperty());
        recordLabel.visibleProperty().bind(p.record.statusProperty().isNotEmpty());
        recordLabel.managedProperty().bind(recordLabel.visibleProperty());
        p.record.recordingProperty().addListener((o, a, b) ->
                recordLabel.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("recording"), b));

        main.sessionProperty().addListener((o, a, b) -> p.sessionChanged(b));
        p.sessionChanged(main.session());
        frames.addPoller(p::poll);
        return p;
    }

    private void sessionChanged(UiSession s) {
        if (s instanceof LiveSession ls) {
            breakpoints.attach(new LiveBreakpointEngine(ls), ls.label());
        } else if (s != null) {
            String guest = s.source().machine() == null ? null : s.source().machine().guestName();
            breakpoints.showReadOnly(guest, "Breakpoints act on a live guest; this is a recording (read-only). The"
                    + " stops recorded in it are marked ◆ on the timeline.");
        } else {
            breakpoints.detach("Open a guest to set breakpoints.");
        }
        disassembly.setSession(s);
        memory.setSession(s);
        polled = s;
        lastState = null;
        lastVersion = -1;
        lastSize = -1;
    }

    /**
     * Every frame: a few volatile reads. New exits ask for hit counts (the slot runs at most once per frame);
     * a change of run state (the guest stopped, ran, finished) has disassembly and memory read again. A
     * continue that stops again within a frame leaves the state PAUSED as it was: the engine's state version
     * still moves, and without it the counts asked for as the exit arrived (before the stop) would be the last.
     */
    private void poll() {
        record.poll();
        UiSession s = polled;
        if (s == null || !s.isLive()) {
            return;
        }
        long size = s.source().size();
        UiSession.State st = s.state();
        if (size != lastSize) {
            lastSize = size;
            breakpointsView.markCountsDirty();
        }
        long version = s.stateVersion();
        if (st != lastState || version != lastVersion) {
            lastState = st;
            lastVersion = version;
            breakpointsView.markCountsDirty();
            if (st != UiSession.State.RUNNING) {
                disassembly.invalidate();
                memory.invalidate();
            }
        }
    }

    // ---- Record ----

    private void onRecord() {
        recordButton.setSelected(record.recordingProperty().get());   // the model decides, not the click
        if (record.recordingProperty().get()) {
            record.stop();
            return;
        }
        Window w = recordButton.getScene() == null ? null : recordButton.getScene().getWindow();
        Path f = recordChooser.apply(w);
        if (f == null) {
            return;
        }
        if (record.start(f) == RecordViewModel.Start.NEEDS_RESTART) {
            String guest = main.session() == null ? "the guest" : main.session().label();
            if (restartConfirm.apply(guest)) {
                record.restartAndRecord(f);
            }
        }
    }

    private boolean confirmRestart(String guest) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "A trace holds a run from its first exit, and " + guest
                + " has run already. Restart it from its first instruction and record the new run?",
                ButtonType.OK, ButtonType.CANCEL);
        a.setTitle("Record " + guest);
        a.setHeaderText("Restart " + guest + " to record it");
        if (recordButton.getScene() != null) {
            a.initOwner(recordButton.getScene().getWindow());
        }
        Optional<ButtonType> r = a.showAndWait();
        return r.isPresent() && r.get() == ButtonType.OK;
    }

    private static Path chooseTraceFile(Window owner) {
        FileChooser fc = new FileChooser();
        fc.setTitle("Record to a vmscope trace");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("vmscope traces", "*.vmtrace"));
        fc.setInitialFileName("run.vmtrace");
        File f = fc.showSaveDialog(owner);
        if (f == null) {
            return null;
        }
        Path p = f.toPath();
        return p.getFileName().toString().contains(".") ? p : p.resolveSibling(p.getFileName() + ".vmtrace");
    }

    /** Replaces the Record file chooser (tests and tools): given the window, the file to record to, or null. */
    public void setRecordChooser(Function<Window, Path> chooser) {
        recordChooser = chooser == null ? DebugPanes::chooseTraceFile : chooser;
    }

    /** Replaces the "restart to record?" question (tests): given the guest's name, true to restart. */
    public void setRestartConfirm(Function<String, Boolean> confirm) {
        restartConfirm = confirm == null ? this::confirmRestart : confirm;
    }

    public BreakpointsViewModel breakpoints() {
        return breakpoints;
    }

    public BreakpointsView breakpointsView() {
        return breakpointsView;
    }

    public DisassemblyViewModel disassembly() {
        return disassembly;
    }

    public MemoryViewModel memory() {
        return memory;
    }

    public RecordViewModel record() {
        return record;
    }
}
