package dev.vmscope.app.ui.walkthrough;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.walkthrough.ReplayStops;
import dev.vmscope.engine.walkthrough.Walkthrough;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The lecture-mode walkthrough of the open sample: its steps, the current one ({@link #indexProperty()}, -1
 * before the first), and what the panel says about it. {@link #next()} shows the next step's text and, on a
 * live run, has the {@link Runner} play it on the control thread; when the guest stops there the stopped exit
 * becomes the window's selection. Without a runner (a replay) the texts are stepped through and nothing runs.
 * FX-thread state that needs no running toolkit: results arrive through the executor given to the
 * constructor ({@code FxThread::run} in the window).
 */
public final class WalkthroughViewModel {
    /** The key that runs the next step (a View-menu accelerator), as the panel names it. */
    public static final String NEXT_KEY = "Ctrl+PageDown";
    /** What a replay says under every step. */
    public static final String REPLAY_NOTE = "Replay of a recorded trace: each step selects the exit it stops at in"
            + " the trace. Running the guest to each step needs KVM (a live run of the sample).";

    /** Plays steps on a live guest. */
    public interface Runner {
        /** Runs the guest to the step's stop (off the FX thread) and completes with the state there. */
        CompletableFuture<SessionState> play(Walkthrough.Step step);

        /** How many exits the run shows now (a cheap read, called every frame while a selection waits). */
        long exitCount();

        /** Starts the guest again from its first instruction, launched the way the walkthrough needs. */
        void relaunch();

        /**
         * What the step's {@code kernel:} lines point at, at exit {@code seq} where it stopped (off the FX
         * thread); "" when there is nothing to show.
         */
        default CompletableFuture<String> kernelPointers(Walkthrough.Step step, long seq) {
            return CompletableFuture.completedFuture("");
        }

        /** Why this run cannot play the walkthrough as written (e.g. launched without MSR trap mode), or null. */
        default String problem() {
            return null;
        }
    }

    private final ExitSelection selection;
    private final Executor fx;
    private final ObjectProperty<Walkthrough> walkthrough = new SimpleObjectProperty<>(this, "walkthrough");
    private final ObservableList<Walkthrough.Step> steps = FXCollections.observableArrayList();
    private final IntegerProperty index = new SimpleIntegerProperty(this, "index", -1);
    private final BooleanProperty busy = new SimpleBooleanProperty(this, "busy");
    private final BooleanProperty live = new SimpleBooleanProperty(this, "live");
    private final BooleanProperty canNext = new SimpleBooleanProperty(this, "canNext");
    private final BooleanProperty canRestart = new SimpleBooleanProperty(this, "canRestart");
    private final StringProperty title = new SimpleStringProperty(this, "title", "");
    private final StringProperty position = new SimpleStringProperty(this, "position", "");
    private final StringProperty stepTitle = new SimpleStringProperty(this, "stepTitle", "");
    private final StringProperty stepText = new SimpleStringProperty(this, "stepText", "");
    private final StringProperty note = new SimpleStringProperty(this, "note", "");
    /** The kernel events the current step points at (its {@code kernel:} lines), once it has stopped. */
    private final StringProperty kernel = new SimpleStringProperty(this, "kernel", "");
    private final BooleanProperty missed = new SimpleBooleanProperty(this, "missed");

    private Runner runner;
    /** A replay's trace, where steps find their exits (null: live, or texts only). */
    private ExitSource replay;
    /** Per step of a replay: the exit the next step counts from (see {@link ReplayStops.Stop#countFrom}). */
    private final java.util.List<Long> countFrom = new java.util.ArrayList<>();
    /** Bumped whenever the walkthrough or run changes: a step's late result for an older one is dropped. */
    private int generation;
    /** The exit to select once the run shows it (the store may publish it a frame after the stop); -1: none. */
    private long pendingSeq = -1;
    /** The exit each step stopped at (its index), -1 where none; for going back. */
    private final java.util.List<Long> stoppedAt = new java.util.ArrayList<>();

    public WalkthroughViewModel(ExitSelection selection, Executor fx) {
        this.selection = selection;
        this.fx = fx;
        open(null, null);
    }

    // ---- which walkthrough ----

    /**
     * The sample directory a session shows, if it is one: a live run's guest name or a replay's trace name
     * ({@code hello.vmtrace}) looked up among {@code known} sample directories, else in {@code samplesDir}.
     */
    public static Optional<Path> sampleDirOf(UiSession s, String guestName, List<Path> known, Path samplesDir) {
        if (s == null) {
            return Optional.empty();
        }
        String name = guestName != null ? guestName : s.label();
        if (name.endsWith(".vmtrace")) {
            name = name.substring(0, name.length() - ".vmtrace".length());
        }
        if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
            return Optional.empty();
        }
        for (Path p : known) {
            if (p.getFileName() != null && p.getFileName().toString().equals(name)) {
                return Optional.of(p);
            }
        }
        Path p = samplesDir == null ? null : samplesDir.resolve(name);
        return p != null && Files.isRegularFile(p.resolve(Walkthrough.FILE_NAME)) ? Optional.of(p) : Optional.empty();
    }

    /** Shows {@code w} from its beginning; {@code r} plays its steps (null: a replay, texts only). */
    public void open(Walkthrough w, Runner r) {
        open(w, r, null);
    }

    /** As {@link #open(Walkthrough, Runner)}; a replay's steps select their exits in {@code trace}. */
    public void open(Walkthrough w, Runner r, ExitSource trace) {
        generation++;
        replay = r == null ? trace : null;
        walkthrough.set(w);
        steps.setAll(w == null ? List.of() : w.steps());
        runner = w == null ? null : r;
        live.set(runner != null);
        busy.set(false);
        pendingSeq = -1;
        intro();
    }

    private void intro() {
        index.set(-1);
        stoppedAt.clear();
        countFrom.clear();
        kernel.set("");
        missed.set(false);
        Walkthrough w = walkthrough.get();
        if (w == null) {
            title.set("No walkthrough");
            position.set("");
            stepTitle.set("");
            stepText.set("The open run has no walkthrough. Every bundled sample brings one"
                    + " (samples/NAME/walkthrough.txt): open a sample from the list to follow it.");
            note.set("");
        } else {
            title.set(w.title());
            position.set(steps.size() + " steps");
            stepTitle.set("Ready");
            stepText.set(runner != null
                    ? "Each step runs the guest to the exit it explains and selects that exit everywhere in the"
                    + " window. Press Next step (" + NEXT_KEY + ") to begin."
                    : "Press Next step (" + NEXT_KEY + ") to read the steps in turn.");
            String problem = runner == null ? REPLAY_NOTE : runner.problem();
            note.set(problem == null ? "" : problem);
        }
        update();
    }

    // ---- commands ----

    /** Shows the next step and, on a live run, runs the guest to it. FX thread; returns at once. */
    public void next() {
        if (!canNext.get()) {
            return;
        }
        int i = index.get() + 1;
        Walkthrough.Step step = show(i);
        if (runner == null) {
            findInTrace(i, step);
            return;
        }
        busy.set(true);
        note.set(step.kind() == Walkthrough.Kind.START ? "" : "Running the guest to " + step.target() + "…");
        update();
        int gen = generation;
        CompletableFuture<SessionState> f;
        try {
            f = runner.play(step);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((st, err) -> fx.execute(() -> played(gen, step, st, err)));
    }

    /** A replay's step: finds its exit in the trace off the FX thread, then selects it. */
    private void findInTrace(int i, Walkthrough.Step step) {
        ExitSource src = replay;
        if (src == null) {
            note.set(REPLAY_NOTE);
            update();
            return;
        }
        long after = i == 0 ? -1 : i - 1 < countFrom.size() ? countFrom.get(i - 1) : -1;
        busy.set(true);
        update();
        int gen = generation;
        FxThread.background(() -> ReplayStops.of(step, src, after))
                .whenComplete((stop, err) -> fx.execute(() -> foundInTrace(gen, i, step, stop, err)));
    }

    private void foundInTrace(int gen, int i, Walkthrough.Step step, ReplayStops.Stop stop, Throwable err) {
        if (gen != generation) {
            return;
        }
        busy.set(false);
        if (err != null) {
            Throwable c = err.getCause() != null ? err.getCause() : err;
            missed.set(true);
            note.set("The step could not be found in the trace: " + c.getMessage());
        } else {
            while (countFrom.size() <= i) {
                countFrom.add(-1L);
                stoppedAt.add(-1L);
            }
            countFrom.set(i, stop.countFrom());
            stoppedAt.set(i, stop.seq());
            if (stop.seq() >= 0) {
                selection.select(stop.seq());
            } else if (step.kind() == Walkthrough.Kind.START) {
                selection.clear();
            }
            missed.set(stop.seq() < 0 && step.kind() != Walkthrough.Kind.START);
            note.set("In the trace: " + stop.note());
        }
        update();
    }

    /** Makes step {@code i} the current one: its title and text, no stop pending. */
    private Walkthrough.Step show(int i) {
        Walkthrough.Step step = steps.get(i);
        index.set(i);
        position.set("Step " + (i + 1) + " of " + steps.size());
        stepTitle.set(step.title());
        stepText.set(step.text());
        missed.set(false);
        pendingSeq = -1;
        kernel.set("");
        return step;
    }

    /**
     * Shows the previous step again and selects the exit it stopped at. Nothing runs: a live guest stays where
     * it is (Restart walkthrough runs it again from the start). FX thread.
     */
    public void previous() {
        int i = index.get() - 1;
        if (walkthrough.get() == null || busy.get() || i < 0) {
            return;
        }
        Walkthrough.Step step = show(i);
        long seq = i < stoppedAt.size() ? stoppedAt.get(i) : -1;
        if (seq >= 0) {
            selection.select(seq);
        }
        note.set(runner == null ? REPLAY_NOTE : "Shown again; the guest stays where the last step left it"
                + " (Restart walkthrough runs it from the start).");
        update();
    }

    /** Back to the beginning: a live run is launched again (the new run reopens this), a replay just rewinds. */
    public void restart() {
        if (!canRestart.get()) {
            return;
        }
        Runner r = runner;
        generation++;
        pendingSeq = -1;
        intro();
        if (r != null) {
            note.set("Starting the guest again…");
            r.relaunch();
        }
    }

    private void played(int gen, Walkthrough.Step step, SessionState st, Throwable err) {
        if (gen != generation) {
            return;   // the run or the walkthrough changed meanwhile
        }
        busy.set(false);
        if (err != null) {
            Throwable c = err.getCause() != null ? err.getCause() : err;
            missed.set(true);
            note.set("The step could not run: " + c.getMessage());
        } else if (step.reached(st)) {
            note.set(reachedNote(step, st));
            select(st);
            showKernel(gen, step, st);
        } else {
            missed.set(true);
            note.set("Not reached: the guest is " + (st == null ? "in an unknown state" : st.describe())
                    + ". Restart walkthrough to play it again from the first instruction.");
            select(st);
        }
        update();
    }

    private static String reachedNote(Walkthrough.Step step, SessionState st) {
        return switch (step.kind()) {
            case START -> "Paused before the first instruction.";
            case END -> "The run is over: " + st.describe().replaceFirst("^finished: ", "") + ".";
            case PAUSE -> "Paused after " + step.pauseMillis() + " ms at exit #" + st.seq() + " on vCPU " + st.vcpu() + ".";
            case BREAK -> "Stopped at exit #" + st.seq() + " on vCPU " + st.vcpu() + " (" + step.target() + ").";
        };
    }

    /** Asks the runner for what the step's kernel: lines point at, shown when it answers (same step only). */
    private void showKernel(int gen, Walkthrough.Step step, SessionState st) {
        if (step.kernel().isEmpty() || runner == null || st.seq() < 0) {
            return;
        }
        int at = index.get();
        runner.kernelPointers(step, st.seq()).whenComplete((text, err) -> fx.execute(() -> {
            if (gen == generation && index.get() == at) {
                kernel.set(err != null ? "In the kernel: could not be read (" + err.getMessage() + ")"
                        : text == null ? "" : text);
            }
        }));
    }

    /** Where the guest stopped becomes the selection (before the first exit: nothing selected). */
    private void select(SessionState st) {
        if (st == null) {
            return;
        }
        long seq = st.seq();
        if (seq < 0 && st.mode() == SessionState.Mode.FINISHED && st.outcome() != null) {
            seq = st.outcome().atSeq();
        }
        if (seq < 0 && st.mode() == SessionState.Mode.FINISHED && runner != null) {
            seq = runner.exitCount() - 1;
        }
        if (seq < 0) {
            if (st.mode() == SessionState.Mode.PAUSED) {
                selection.clear();
            }
            return;
        }
        pendingSeq = seq;
        poll();
    }

    /** Once a frame: selects the stopped exit as soon as the run shows it. FX thread. */
    public void poll() {
        long s = pendingSeq;
        if (s >= 0 && runner != null && runner.exitCount() > s) {
            pendingSeq = -1;
            selection.select(s);
            int i = index.get();
            while (stoppedAt.size() <= i) {
                stoppedAt.add(-1L);
            }
            stoppedAt.set(i, s);
        }
    }

    private void update() {
        boolean has = walkthrough.get() != null;
        canNext.set(has && !busy.get() && index.get() < steps.size() - 1);
        canRestart.set(has && !busy.get());
    }

    // ---- state for the view ----

    public StringProperty kernelProperty() {
        return kernel;
    }

    public ObjectProperty<Walkthrough> walkthroughProperty() {
        return walkthrough;
    }

    public Walkthrough walkthrough() {
        return walkthrough.get();
    }

    public ObservableList<Walkthrough.Step> steps() {
        return steps;
    }

    /** The current step, -1 before the first. */
    public IntegerProperty indexProperty() {
        return index;
    }

    public int index() {
        return index.get();
    }

    /** True while a step runs on the guest. */
    public BooleanProperty busyProperty() {
        return busy;
    }

    /** True when steps run the guest (a live run), false for texts only (a replay). */
    public BooleanProperty liveProperty() {
        return live;
    }

    public BooleanProperty canNextProperty() {
        return canNext;
    }

    public BooleanProperty canRestartProperty() {
        return canRestart;
    }

    public StringProperty titleProperty() {
        return title;
    }

    /** "Step 2 of 4" (or "4 steps" before the first). */
    public StringProperty positionProperty() {
        return position;
    }

    public StringProperty stepTitleProperty() {
        return stepTitle;
    }

    public StringProperty stepTextProperty() {
        return stepText;
    }

    /** What happened with the current step: running, where it stopped, not reached, or the replay note. */
    public StringProperty noteProperty() {
        return note;
    }

    /** True when the current step did not stop where it meant to. */
    public BooleanProperty missedProperty() {
        return missed;
    }
}
