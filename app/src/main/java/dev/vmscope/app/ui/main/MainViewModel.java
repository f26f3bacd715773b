package dev.vmscope.app.ui.main;

import dev.vmscope.engine.time.TimeText;
import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.exits.ExitTableViewModel;
import dev.vmscope.app.ui.registers.RegistersViewModel;
import dev.vmscope.app.ui.session.LiveSession;
import dev.vmscope.app.ui.session.ReplaySession;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.stats.StatisticsViewModel;
import dev.vmscope.app.ui.timeline.TimelineViewModel;
import dev.vmscope.engine.kernel.KernelCapture;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.kernel.KernelTracer;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.Outcome;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.TraceReader;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The window's model: the open session, the shared selection, one model per pane, the toolbar's enabled
 * states and the status line. {@link #poll()} runs once per frame on the FX thread and is the only place
 * engine state is read (a few volatile reads); engine callbacks only set a flag.
 */
public final class MainViewModel {
    private final ExitSelection selection = new ExitSelection();
    private final TimelineViewModel timeline = new TimelineViewModel(selection);
    private final ExitTableViewModel exits = new ExitTableViewModel(selection);
    private final RegistersViewModel registers = new RegistersViewModel(selection);
    private final StatisticsViewModel statistics = new StatisticsViewModel();

    private final ReadOnlyObjectWrapper<UiSession> session = new ReadOnlyObjectWrapper<>(this, "session");
    private final StringProperty status = new SimpleStringProperty(this, "status", "no run open");
    private final StringProperty banner = new SimpleStringProperty(this, "banner", "");
    private final StringProperty title = new SimpleStringProperty(this, "title", "vmscope");
    /** Where the run came from, for the title's tooltip: a trace's full path; empty for a guest. */
    private final StringProperty origin = new SimpleStringProperty(this, "origin", "");
    private final BooleanProperty live = new SimpleBooleanProperty(this, "live");
    /** Run ▸ Capture kernel events: whether the next guest started (or restarted) captures KVM's tracepoints. */
    private final BooleanProperty kernelEventsWanted = new SimpleBooleanProperty(this, "kernelEventsWanted", true);
    private final BooleanProperty canResume = new SimpleBooleanProperty(this, "canResume");
    private final BooleanProperty canPause = new SimpleBooleanProperty(this, "canPause");
    private final BooleanProperty canStep = new SimpleBooleanProperty(this, "canStep");
    private final BooleanProperty canStepInstruction = new SimpleBooleanProperty(this, "canStepInstruction");
    private final BooleanProperty canRestart = new SimpleBooleanProperty(this, "canRestart");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.DEFAULT);
    private final ObservableList<GuestSpec.Manifest> samples = FXCollections.observableArrayList();
    /** While a trace opens: how far (0..1); -1 when nothing is opening. */
    private final javafx.beans.property.DoubleProperty openProgress =
            new javafx.beans.property.SimpleDoubleProperty(this, "openProgress", -1);
    private final BooleanProperty kvmAvailable = new SimpleBooleanProperty(this, "kvmAvailable", true);
    private volatile double openFraction = -1;
    private volatile AtomicBoolean openCancel;

    private final AtomicBoolean changed = new AtomicBoolean();
    /** Set by the kernel events' reader thread (a batch at a time); the frame poll clears it. */
    private final AtomicBoolean kernelGrew = new AtomicBoolean();
    private final KernelEvents.Listener kernelListener = (from, to) -> kernelGrew.set(true);
    /** The kernel events {@link #kernelListener} listens to: a trace being read gets its own at the end. */
    private KernelEvents listenedKernel;
    private Runnable onKernelGrew = () -> { };
    private Consumer<String> consoleSink = s -> { };
    private Runnable onSourceGrew = () -> { };
    private Runnable onSourceChanged = () -> { };
    private long lastSize = -1;
    private UiSession.State lastState;
    private boolean followAfterCommand;
    private dev.vmscope.app.ui.session.GdbLink gdb;
    /** The selected exit, readable off the FX thread (where a trace's gdb starts). */
    private volatile long selectedSeq;
    private long sizeAtCommand;
    private long versionAtCommand;
    private long rateSize;
    private long rateTime;
    private double exitsPerSecond;
    private long lastStatsNanos;

    public MainViewModel() {
        selection.seqProperty().addListener(o -> changed.set(true));   // the status line names the selection
    }

    public ExitSelection selection() {
        return selection;
    }

    public TimelineViewModel timeline() {
        return timeline;
    }

    public ExitTableViewModel exits() {
        return exits;
    }

    public RegistersViewModel registers() {
        return registers;
    }

    public StatisticsViewModel statistics() {
        return statistics;
    }

    public ReadOnlyObjectProperty<UiSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public UiSession session() {
        return session.get();
    }

    public StringProperty statusProperty() {
        return status;
    }

    public StringProperty bannerProperty() {
        return banner;
    }

    public StringProperty titleProperty() {
        return title;
    }

    public StringProperty originProperty() {
        return origin;
    }

    public BooleanProperty liveProperty() {
        return live;
    }

    public BooleanProperty canResumeProperty() {
        return canResume;
    }

    public BooleanProperty canPauseProperty() {
        return canPause;
    }

    public BooleanProperty canStepProperty() {
        return canStep;
    }

    public BooleanProperty canStepInstructionProperty() {
        return canStepInstruction;
    }

    public BooleanProperty canRestartProperty() {
        return canRestart;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public ObservableList<GuestSpec.Manifest> samples() {
        return samples;
    }

    public javafx.beans.property.ReadOnlyDoubleProperty openProgressProperty() {
        return openProgress;
    }

    /** False once the window knows KVM cannot be used here: samples then open their recorded traces. */
    public BooleanProperty kvmAvailableProperty() {
        return kvmAvailable;
    }

    /** The recorded trace that ships with a sample ({@code <dir>/<name>.vmtrace}), or null. */
    public static Path bundledTrace(GuestSpec.Manifest m) {
        return Samples.recordedTrace(m.dir(), m.name());
    }

    /**
     * Opens a trace file off the FX thread with progress ({@link #openProgressProperty}) and a way to cancel
     * ({@link #cancelOpen}); what opening recovered or lost goes to the banner. The run shows as soon as its first
     * exits are read, first exit selected, and grows in every pane as the rest is read (as a live run does), so a
     * big trace is usable at once rather than after all of it is read.
     */
    public void openTrace(Path file) {
        openTrace(file, TraceReader.Progress.NONE);
    }

    /** As {@link #openTrace(Path)}, telling {@code also} what the reader tells (tests hold a read halfway with it). */
    void openTrace(Path file, TraceReader.Progress also) {
        cancelOpen();
        AtomicBoolean cancel = new AtomicBoolean();
        openCancel = cancel;
        openFraction = 0;
        openProgress.set(0);
        String name = file.getFileName().toString();
        status.set("opening " + name + "…");
        ExitSource[] shownWhileReading = {null};   // FX thread
        TraceReader.Progress progress = new TraceReader.Progress() {
            @Override
            public void progress(double fraction) {
                openFraction = fraction;     // the frame poll shows it: no FX hop per report
                also.progress(fraction);
            }

            @Override
            public boolean cancelled() {
                return cancel.get() || also.cancelled();
            }

            @Override
            public void readable(dev.vmscope.engine.trace.ExitStore store) {
                FxThread.run(() -> {
                    if (openCancel == cancel && !cancel.get()) {
                        shownWhileReading[0] = store;
                        openReplay(store, file);
                    }
                });
                also.readable(store);
            }
        };
        FxThread.reading(() -> {
            try {
                return TraceReader.open(file, progress);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e.getMessage(), e);
            }
        }).whenComplete((t, err) -> FxThread.run(() -> {
            if (openCancel == cancel) {
                openCancel = null;
                openFraction = -1;
                openProgress.set(-1);
            }
            UiSession shown = session.get();
            boolean partShown = shown != null && shown.source() == shownWhileReading[0];
            if (cancel.get()) {
                status.set("opening " + name + " cancelled" + (partShown
                        ? String.format(" after %,d exits, which are shown", shown.source().size()) : ""));
                return;
            }
            if (err != null) {
                Throwable c = err;
                while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException
                        || c instanceof java.io.UncheckedIOException)) {
                    c = c.getCause();
                }
                if (c instanceof CancellationException) {
                    status.set("opening " + name + " cancelled");
                } else {
                    banner.set("Could not " + (partShown ? "finish reading " : "open ") + name + ": " + c.getMessage());
                    status.set("could not " + (partShown ? "finish reading " : "open ") + name);
                }
                return;
            }
            if (partShown) {
                readToTheEnd(t, name);
            } else {
                opened(t, file);
            }
        }));
    }

    /** The trace shown while it was read has been read to its end: what it lost, its kernel events, statistics. */
    private void readToTheEnd(LoadedTrace t, String name) {
        changed.set(true);               // hits, outcome and status line
        lastStatsNanos = 0;
        statistics.refresh();
        reportLoad(t, name);
    }

    private void opened(LoadedTrace t, Path file) {
        openReplay(t.source(), file);
        reportLoad(t, file.getFileName().toString());
    }

    private void reportLoad(LoadedTrace t, String name) {
        if (!t.report().isClean()) {
            banner.set(name + ": " + t.report().summary());
        } else if (kvmAvailable.get()) {
            banner.set("");
        }
    }

    /** Stops a trace that is still opening (the window stays as it was). */
    public void cancelOpen() {
        AtomicBoolean c = openCancel;
        if (c != null) {
            c.set(true);
        }
    }

    /** Where new guest output goes (the console view); called on the FX thread. */
    public void setConsoleSink(Consumer<String> sink) {
        consoleSink = sink;
    }

    /** Called on the FX thread when the open source has new exits (views mark themselves dirty). */
    public void setOnSourceGrew(Runnable r) {
        onSourceGrew = r;
    }

    /** Called on the FX thread (once per frame at most) when the open source has new kernel events. */
    public void setOnKernelGrew(Runnable r) {
        onKernelGrew = r;
    }

    /** Called on the FX thread after a different session was opened. */
    public void setOnSourceChanged(Runnable r) {
        onSourceChanged = r;
    }

    public void loadSamples(Path dir) {
        FxThread.background(() -> Samples.list(dir)).thenAccept(list -> FxThread.run(() -> samples.setAll(list)));
    }

    /** Shows {@code s} in every pane, closing the session shown before. FX thread. */
    public void open(UiSession s) {
        UiSession old = session.get();
        if (listenedKernel != null) {
            listenedKernel.removeListener(kernelListener);
            listenedKernel = null;
        }
        if (old != null && old != s) {
            old.close();
        }
        selection.clear();
        session.set(s);
        ExitSource src = s == null ? null : s.source();
        selection.setColumns(src == null ? null : src.columns());
        timeline.setSource(src);
        exits.setSource(src);
        // a live guest shows its registers before the first instruction (a state read when it was built)
        registers.setSource(src, s instanceof LiveSession ls && src.size() == 0 ? ls.debugSession().currentState(0) : null);
        statistics.setSource(src);
        live.set(s != null && s.isLive());
        lastSize = -1;
        lastState = null;
        followAfterCommand = false;
        rateSize = 0;
        rateTime = System.nanoTime();
        exitsPerSecond = 0;
        if (s != null) {
            s.setOnChange(() -> changed.set(true));
            listenedKernel = s.source().kernelEvents();
            listenedKernel.addListener(kernelListener);
            title.set("vmscope — " + s.label() + (s.isLive() ? "" : " (replay)"));
            origin.set("");
        } else {
            title.set("vmscope");
        }
        changed.set(true);
        onSourceChanged.run();
        poll();
        if (src != null && src.columns().size() > 0 && !(s.isLive())) {
            selection.select(0);
        }
        serveGdb(s);
    }

    /**
     * Lets gdb attach to every session this window opens (Run ▸ Wait for gdb…, or --gdb): the current one
     * now. A port that cannot be used is said in the banner. FX thread.
     */
    public void setGdb(dev.vmscope.app.ui.session.GdbLink link) {
        if (gdb != null) {
            gdb.close();
        }
        gdb = link;
        serveGdb(session.get());
    }

    private void serveGdb(UiSession s) {
        if (gdb == null) {
            return;
        }
        try {
            gdb.serve(s, () -> selectedSeq);
            if (gdb.hostPort() != null) {
                status.set("gdb: target remote " + gdb.hostPort());
            }
        } catch (RuntimeException e) {
            banner.set("gdb: " + e.getMessage());
        }
    }

    /** Opens a recorded run for browsing. */
    public void openReplay(ExitSource source, String label) {
        open(new ReplaySession(source, label));
    }

    /** Opens a trace's run (whole or as far as it is read), named by its file, its full path on the title's hover. */
    private void openReplay(ExitSource source, Path file) {
        openReplay(source, file.getFileName().toString());
        origin.set(file.toAbsolutePath().normalize().toString());
    }

    /** Builds {@code config} on KVM (off the FX thread), paused at its first instruction, and opens it. */
    public void openGuest(MachineConfig config) {
        openGuest(config, null);
    }

    /** As {@link #openGuest(MachineConfig)}, recording to {@code recordTo} from the first exit (null: not). */
    public void openGuest(MachineConfig requested, Path recordTo) {
        MachineConfig config = withKernelEvents(requested);
        status.set("starting " + config.name() + " on /dev/kvm…");
        LiveSession.start(config, recordTo).whenComplete((s, err) -> FxThread.run(() -> {
            if (err != null) {
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                banner.set("Could not start " + config.name() + ": " + cause.getMessage());
                status.set("could not start " + config.name());
            } else {
                banner.set("");
                open(s);
            }
        }));
    }

    /**
     * The window captures KVM's tracepoints by default: a config that does not ask for them gets the default
     * options, unless the user turned them off (then none, whatever the config asked). Where tracing is not
     * permitted the engine runs on without them and says why, which the status line shows.
     */
    MachineConfig withKernelEvents(MachineConfig c) {
        if (!kernelEventsWanted.get()) {
            return c.kernelEvents() == null ? c : c.toBuilder().kernelEvents(null).build();
        }
        return c.kernelEvents() != null ? c : c.toBuilder().kernelEvents(KernelTracer.Options.DEFAULT).build();
    }

    public BooleanProperty kernelEventsWantedProperty() {
        return kernelEventsWanted;
    }

    /** Opens a sample: live on KVM, or its recorded trace when KVM is unavailable. */
    public void openSample(GuestSpec.Manifest m) {
        Path trace = bundledTrace(m);
        if (!kvmAvailable.get()) {
            if (trace != null) {
                openTrace(trace);
            } else {
                banner.set("KVM is unavailable and " + m.name() + " has no recorded trace");
            }
            return;
        }
        try {
            openGuest(GuestSpec.resolve(m.dir()).build());
        } catch (RuntimeException e) {
            banner.set("Could not load sample " + m.name() + ": " + e.getMessage());
        }
    }

    // ---- commands (toolbar and keys); each returns at once ----

    public void resume() {
        UiSession s = session.get();
        if (s != null && canResume.get()) {
            command(s);
            s.resume();
        }
    }

    public void pause() {
        UiSession s = session.get();
        if (s != null && canPause.get()) {
            command(s);
            s.pause();
        }
    }

    /** F10: the vCPU of the selected exit (or the first paused one) runs to its next exit. */
    public void stepExit() {
        UiSession s = session.get();
        if (s != null && canStep.get()) {
            command(s);
            long sel = selection.seq();
            int vcpu = sel < 0 ? -1 : s.source().columns().vcpu(sel);
            s.stepExit(vcpu);
        }
    }

    public void stepInstruction() {
        UiSession s = session.get();
        if (s != null && canStepInstruction.get()) {
            command(s);
            long sel = selection.seq();
            s.stepInstruction(sel < 0 ? -1 : s.source().columns().vcpu(sel));
        }
    }

    /** Runs the same guest again from the start (live sessions). */
    public void restart() {
        restart(null);
    }

    /** Runs the same guest again from the start, recording it to {@code recordTo} (null: not recording). */
    public void restart(Path recordTo) {
        if (session.get() instanceof LiveSession ls) {
            MachineConfig c = ls.config();
            open(null);
            openGuest(c, recordTo);
        }
    }

    private void command(UiSession s) {
        followAfterCommand = true;
        sizeAtCommand = s.source().columns().size();
        versionAtCommand = s.stateVersion();
        changed.set(true);
    }

    /** One frame: catch up with the engine. FX thread; a few volatile reads when nothing happened. */
    public void poll() {
        double f = openFraction;
        if (f != openProgress.get()) {
            openProgress.set(f);
        }
        UiSession s = session.get();
        if (s == null) {
            canResume.set(false);
            canPause.set(false);
            canStep.set(false);
            canStepInstruction.set(false);
            canRestart.set(false);
            return;
        }
        ExitColumns c = s.source().columns();
        long size = c.size();
        boolean grew = size != lastSize;
        if (grew) {
            lastSize = size;
            selection.setColumns(c);
            timeline.onSourceGrew();
            onSourceGrew.run();
            long now = System.nanoTime();
            if (now - lastStatsNanos > 500_000_000L) {
                lastStatsNanos = now;
                statistics.refresh();
            }
        }
        UiSession.State st = s.state();
        KernelEvents k = s.source().kernelEvents();
        if (k != listenedKernel) {        // a trace read to its end: its kernel events come with the end
            listenedKernel.removeListener(kernelListener);
            listenedKernel = k;
            k.addListener(kernelListener);
            timeline.kernelEventsReplaced();
            kernelGrew.set(true);
        }
        if (kernelGrew.getAndSet(false)) {
            timeline.onKernelGrew();
            onKernelGrew.run();
            grew = true;                       // the status line counts them
            long now = System.nanoTime();
            if (st != UiSession.State.RUNNING || now - lastStatsNanos > 500_000_000L) {
                lastStatsNanos = now;
                statistics.refresh();
            }
        }
        boolean flagged = changed.getAndSet(false);
        if (flagged) {
            String text = s.drainConsole();
            if (!text.isEmpty()) {
                consoleSink.accept(text);
            }
            timeline.refreshHits();
        }
        if (st != lastState || flagged) {
            lastState = st;
            boolean paused = st == UiSession.State.PAUSED;
            canResume.set(paused);
            canPause.set(st == UiSession.State.RUNNING);
            canStep.set(paused);
            canStepInstruction.set(paused && s.canStepInstruction());
            canRestart.set(s.isLive() && st != UiSession.State.STARTING);
            if (st != UiSession.State.RUNNING) {
                statistics.refresh();
            }
        }
        // a stop seen before the engine reported anything since the command is the old stop, not its result
        if (followAfterCommand && (st == UiSession.State.PAUSED || st == UiSession.State.FINISHED)
                && size > sizeAtCommand && s.stateVersion() > versionAtCommand) {
            followAfterCommand = false;
            long stop = stopSeq(s, size);
            selection.select(stop);
            timeline.ensureVisible(stop);
        }
        long gdbStop = gdb == null ? -1 : gdb.takeStop(size);
        if (gdbStop >= 0) {   // gdb stopped or moved there: every pane follows
            selection.select(gdbStop);
            timeline.ensureVisible(gdbStop);
        }
        selectedSeq = selection.seq();
        updateRate(size, st);
        if (grew || flagged || st == UiSession.State.RUNNING) {
            status.set(statusLine(s, st, size));
        }
    }

    private void updateRate(long size, UiSession.State st) {
        long now = System.nanoTime();
        if (st != UiSession.State.RUNNING) {
            exitsPerSecond = 0;
            rateSize = size;
            rateTime = now;
            return;
        }
        if (now - rateTime >= 500_000_000L) {
            exitsPerSecond = (size - rateSize) * 1e9 / (now - rateTime);
            rateSize = size;
            rateTime = now;
        }
    }

    /**
     * The exit a paused run stopped at: for a live guest the engine's (a breakpoint's exit, even when all-stop
     * paused other vCPUs after it), else the last one.
     */
    private static long stopSeq(UiSession s, long size) {
        if (s instanceof LiveSession ls) {
            long seq = ls.debugState().seq();
            if (seq >= 0 && seq < size) {
                return seq;
            }
        }
        return size - 1;
    }

    String statusLine(UiSession s, UiSession.State st, long size) {
        StringBuilder b = new StringBuilder();
        switch (st) {
            case STARTING -> b.append("starting ").append(s.label());
            case RUNNING -> b.append(String.format("running · %,.0f exits/s", exitsPerSecond));
            case PAUSED -> {
                if (size == 0) {
                    b.append("paused before the first instruction");
                } else {
                    long last = stopSeq(s, size);
                    ExitColumns c = s.source().columns();
                    b.append("paused at exit #").append(last).append(" · vCPU ").append(c.vcpu(last)).append(" · ")
                            .append(ReasonPalette.name(c.reasonCode(last)));
                    if (s instanceof LiveSession ls && ls.debugState().hit() != null
                            && ls.debugState().reason() == dev.vmscope.engine.debug.SessionState.StopReason.BREAKPOINT) {
                        b.append(" · breakpoint: ").append(ls.debugState().hit().description());
                    }
                }
            }
            case FINISHED -> {
                Outcome o = s.source().outcome();
                b.append("finished").append(o == null ? "" : ": " + o.kind() + " — " + o.message());
            }
            case REPLAY -> {
                Outcome o = s.source().outcome();
                b.append("replay").append(o == null ? "" : " · ended " + o.kind());
            }
        }
        b.append(String.format(" · %,d exits", size));
        long sel = selection.seq();
        if (sel >= 0 && sel < size) {
            b.append(" · selected #").append(sel).append(" at ").append(TimeText.instant(s.source().columns().timeNs(sel)));
        }
        b.append(s.isLive() ? " · live on /dev/kvm" : " · " + s.label());
        b.append(" · ").append(kernelStatus(s.source().kernelEvents(), s.isLive()));
        String notice = s.notice();
        if (notice != null) {
            b.append(" · ⚠ ").append(notice);
        }
        return b.toString();
    }

    /** The kernel's side in a few words: how many events (and lost), or why there are none. */
    static String kernelStatus(KernelEvents k, boolean live) {
        KernelCapture c = k.capture();
        if (live && KernelCapture.OFF.equals(c)) {
            return "kernel events off (Run ▸ Capture kernel events)";
        }
        if (!c.on()) {
            return "no kernel events: " + c.note();
        }
        return String.format("%,d kernel events", k.size()) + (k.lost() > 0 ? String.format(" (%,d lost)", k.lost()) : "");
    }

    /** Switches between the default and the presenter theme. */
    public void togglePresenter() {
        theme.set(theme.get() == Theme.PRESENTER ? Theme.DEFAULT : Theme.PRESENTER);
    }

    /** Closes the session (window closing). */
    public void close() {
        if (gdb != null) {
            gdb.close();
        }
        UiSession s = session.get();
        if (s != null) {
            s.close();
        }
    }
}
