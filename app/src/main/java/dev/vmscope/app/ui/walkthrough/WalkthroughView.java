package dev.vmscope.app.ui.walkthrough;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.kernel.KernelCatchUp;
import dev.vmscope.app.ui.kernel.KernelPointers;
import dev.vmscope.app.ui.main.MainViewModel;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.LiveSession;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.walkthrough.Walkthrough;
import dev.vmscope.engine.walkthrough.WalkthroughPlayer;
import javafx.css.PseudoClass;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The walkthrough panel (FXML controller for {@code walkthrough.fxml}): docked at the right of the main
 * window, shown from View ▸ Walkthrough and by itself when the presenter theme is on and the open sample has a
 * walkthrough. {@code main-window.fxml} includes it and {@link #bind} wires it in: it follows the window's
 * session, loads the sample's {@code walkthrough.txt} off the FX thread, and plays steps on a live run's
 * control thread.
 */
public final class WalkthroughView {
    /** How long one step may run before it gives up and pauses the guest (the control thread waits meanwhile). */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    private static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current");
    private static final PseudoClass DONE = PseudoClass.getPseudoClass("done");
    private static final PseudoClass MISSED = PseudoClass.getPseudoClass("missed");

    @FXML private VBox root;
    @FXML private Label title;
    @FXML private Button closeButton;
    @FXML private VBox stepList;
    @FXML private javafx.scene.control.Separator stepListEnd;
    @FXML private Label position;
    @FXML private Label stepTitle;
    @FXML private ScrollPane textScroll;
    @FXML private Label stepText;
    @FXML private Label note;
    @FXML private Label kernel;
    @FXML private Button restartButton;
    @FXML private Button nextButton;

    private WalkthroughViewModel model;
    private MainViewModel main;
    private SplitPane dock;
    private CheckMenuItem showItem;
    private Path samplesDir = Samples.directory();
    /** Bumped per session change: a walkthrough that finishes loading for an older session is dropped. */
    private int loads;
    /** True once the open session's walkthrough (or its absence) is known. */
    private boolean loadFinished;

    @FXML
    private void initialize() {
        URL css = WalkthroughView.class.getResource("/dev/vmscope/app/ui/styles/walkthrough.css");
        if (css == null) {
            throw new IllegalStateException("styles/walkthrough.css is missing from the classpath");
        }
        root.getStylesheets().add(css.toExternalForm());
    }

    /**
     * Wires the panel into the main window: {@code dock} is the split at the right of the window's centre that
     * shows the panel, the three items are View ▸ Walkthrough, Next walkthrough step and Restart walkthrough.
     * FX thread, before the window shows.
     */
    public void bind(MainViewModel window, FrameUpdater updater, SplitPane dock, CheckMenuItem show, MenuItem nextItem,
                     MenuItem restartItem) {
        FxThread.requireFx();
        main = window;
        model = new WalkthroughViewModel(main.selection(), FxThread::run);
        this.dock = dock;
        showItem = show;
        showItem.selectedProperty().addListener((o, a, b) -> setShowing(b));
        nextItem.setOnAction(e -> next());
        nextItem.disableProperty().bind(model.canNextProperty().not());
        restartItem.setOnAction(e -> model.restart());
        restartItem.disableProperty().bind(model.canRestartProperty().not());
        updater.addPoller(model::poll);

        title.textProperty().bind(model.titleProperty());
        position.textProperty().bind(model.positionProperty());
        stepTitle.textProperty().bind(model.stepTitleProperty());
        stepTitle.visibleProperty().bind(model.stepTitleProperty().isNotEmpty());
        stepTitle.managedProperty().bind(stepTitle.visibleProperty());
        stepText.textProperty().bind(model.stepTextProperty());
        note.textProperty().bind(model.noteProperty());
        kernel.textProperty().bind(model.kernelProperty());
        kernel.visibleProperty().bind(model.kernelProperty().isNotEmpty());
        kernel.managedProperty().bind(kernel.visibleProperty());
        note.visibleProperty().bind(model.noteProperty().isNotEmpty());
        note.managedProperty().bind(note.visibleProperty());
        model.missedProperty().addListener((o, a, b) -> note.pseudoClassStateChanged(MISSED, b));
        nextButton.disableProperty().bind(model.canNextProperty().not());
        restartButton.disableProperty().bind(model.canRestartProperty().not());
        nextButton.setTooltip(new Tooltip("Show the next step and run the guest to the exit it explains ("
                + WalkthroughViewModel.NEXT_KEY + "; PageDown here)"));
        restartButton.setTooltip(new Tooltip("Back to the first step; a live guest starts again from its first"
                + " instruction"));
        closeButton.setTooltip(new Tooltip("Hide the walkthrough (View ▸ Walkthrough brings it back)"));
        model.steps().addListener((javafx.collections.ListChangeListener<Walkthrough.Step>) c -> rebuildSteps());
        model.indexProperty().addListener((o, a, b) -> {
            markSteps();
            FxThread.later(this::scrollToStep);
        });
        rebuildSteps();
        // a presenter remote's keys step the walkthrough wherever the focus is (a table would scroll instead)
        dock.sceneProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.removeEventFilter(KeyEvent.KEY_PRESSED, remoteKeys);
            }
            if (b != null) {
                b.addEventFilter(KeyEvent.KEY_PRESSED, remoteKeys);
            }
        });
        if (dock.getScene() != null) {
            dock.getScene().addEventFilter(KeyEvent.KEY_PRESSED, remoteKeys);
        }

        main.themeProperty().addListener((o, a, t) -> themeChanged(t));
        themeChanged(main.themeProperty().get());
        main.sessionProperty().addListener((o, a, s) -> sessionChanged(s));
        sessionChanged(main.session());
    }

    private final javafx.event.EventHandler<KeyEvent> remoteKeys = this::remoteKey;

    /**
     * While the panel shows: PageDown (with or without Ctrl) and Space go to the next step, PageUp back to the
     * previous one, whatever has the focus (Space still types in a text field and presses a focused button); the
     * arrow keys do so while the focus is in the panel (elsewhere they move between exits).
     */
    private void remoteKey(KeyEvent e) {
        if (!isShowing() || model.walkthrough() == null || e.isAltDown()) {
            return;
        }
        javafx.scene.Node focus = dock.getScene() == null ? null : dock.getScene().getFocusOwner();
        boolean inPanel = false;
        for (javafx.scene.Node n = focus; n != null; n = n.getParent()) {
            inPanel |= n == root;
        }
        boolean forward = switch (e.getCode()) {
            case PAGE_DOWN -> true;
            case SPACE -> !(focus instanceof javafx.scene.control.TextInputControl
                    || focus instanceof javafx.scene.control.ButtonBase);
            case RIGHT, DOWN -> inPanel;
            default -> false;
        };
        boolean back = e.getCode() == KeyCode.PAGE_UP || (inPanel && (e.getCode() == KeyCode.LEFT
                || e.getCode() == KeyCode.UP));
        if (forward) {
            next();
            e.consume();
        } else if (back) {
            model.previous();
            e.consume();
        }
    }

    private void themeChanged(Theme t) {
        boolean presenter = t == Theme.PRESENTER;
        if (presenter != root.getStyleClass().contains("presenter")) {
            if (presenter) {
                root.getStyleClass().add("presenter");
            } else {
                root.getStyleClass().remove("presenter");
            }
        }
        stepList.setVisible(!presenter);   // in front of a hall the step's text needs the room more
        stepList.setManaged(!presenter);
        stepListEnd.setVisible(!presenter);
        stepListEnd.setManaged(!presenter);
        if (presenter && model.walkthrough() != null) {
            setShowing(true);
        }
        if (isShowing()) {
            dock.setDividerPositions(dockDivider(presenter));
        }
    }

    /**
     * Where the panel starts: it takes a third of the window in the presenter theme (more would squeeze the
     * exit list and registers below legibility on a 1600-pixel projector), a quarter otherwise.
     */
    private static double dockDivider(boolean presenter) {
        return presenter ? 0.66 : 0.74;
    }

    /** Shows or hides the panel beside the window. */
    public void setShowing(boolean show) {
        FxThread.requireFx();
        showItem.setSelected(show);
        boolean shown = dock.getItems().contains(root);
        if (show && !shown) {
            dock.getItems().add(root);
            dock.setDividerPositions(dockDivider(main.themeProperty().get() == Theme.PRESENTER));
        } else if (!show && shown) {
            dock.getItems().remove(root);
        }
    }

    public boolean isShowing() {
        return dock.getItems().contains(root);
    }

    /** Next step (the button, the menu item and its key): shows the panel if it is hidden. */
    public void next() {
        if (model.canNextProperty().get()) {
            setShowing(true);
            model.next();
        }
    }

    /** Where samples are looked for when the window's samples list does not know the open one. */
    public void setSamplesDirectory(Path dir) {
        samplesDir = dir;
        sessionChanged(main.session());
    }

    private void sessionChanged(UiSession s) {
        int load = ++loads;
        loadFinished = s == null;
        LiveSession live = s instanceof LiveSession l ? l : null;
        String guest = live != null ? live.config().name() : null;
        List<Path> known = main.samples().stream().map(GuestSpec.Manifest::dir).toList();
        Path dir = samplesDir;
        if (s == null) {
            model.open(null, null);
            return;
        }
        FxThread.background(() -> WalkthroughViewModel.sampleDirOf(s, guest, known, dir).flatMap(Walkthrough::load))
                .whenComplete((w, err) -> FxThread.run(() -> {
                    if (load != loads) {
                        return;
                    }
                    loadFinished = true;
                    if (err != null) {
                        Throwable c = err.getCause() != null ? err.getCause() : err;
                        model.open(null, null);
                        model.noteProperty().set("The sample's walkthrough could not be read: " + c.getMessage());
                        return;
                    }
                    Walkthrough wt = w.orElse(null);
                    model.open(wt, wt == null || live == null ? null : runner(live, wt), live == null ? s.source() : null);
                    if (wt != null && main.themeProperty().get() == Theme.PRESENTER) {
                        setShowing(true);
                    }
                }));
    }

    /**
     * Plays steps of {@code w} on the control thread, the one thread that drives {@code live}'s engine session
     * (a step blocks it until the guest stops there; commands from the toolbar queue behind it meanwhile).
     */
    private WalkthroughViewModel.Runner runner(LiveSession live, Walkthrough w) {
        return new WalkthroughViewModel.Runner() {
            @Override
            public CompletableFuture<SessionState> play(Walkthrough.Step step) {
                return FxThread.control(() -> {
                    if (live.state() == UiSession.State.FINISHED) {
                        return live.debugState();   // over, or closed: nothing to run (and no machine to touch)
                    }
                    try {
                        return WalkthroughPlayer.play(live.debugSession(), step, STEP_TIMEOUT);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while running to '" + step.title() + "'", e);
                    }
                });
            }

            @Override
            public long exitCount() {
                return live.source().size();
            }

            @Override
            public CompletableFuture<String> kernelPointers(Walkthrough.Step step, long seq) {
                return FxThread.afterWait(KernelCatchUp.to(live.source(), seq, 1000),
                        () -> KernelPointers.text(live.source(), seq, step.kernel()));
            }

            @Override
            public void relaunch() {
                main.openGuest(w.configure(live.config().toBuilder()).build());
            }

            @Override
            public String problem() {
                return w.trapMsrs() && !live.config().trapMsrs()
                        ? "This run was started without MSR trap mode, which this walkthrough needs:"
                        + " press Restart walkthrough to launch the guest with it."
                        : null;
            }
        };
    }

    /** Brings the current step's title to the top of the scrolled text (the step list sits above it). */
    private void scrollToStep() {
        javafx.scene.Node content = textScroll.getContent();
        double extra = content.getLayoutBounds().getHeight() - textScroll.getViewportBounds().getHeight();
        double y = model.index() < 0 ? 0 : position.getBoundsInParent().getMinY();
        textScroll.setVvalue(extra <= 0 ? 0 : Math.min(1, y / extra));
    }

    private void rebuildSteps() {
        stepList.getChildren().clear();
        int i = 1;
        for (Walkthrough.Step s : model.steps()) {
            Label l = new Label(i++ + ".  " + s.title());
            l.getStyleClass().add("walkthrough-step");
            l.setWrapText(true);
            l.setMaxWidth(Double.MAX_VALUE);
            l.setTooltip(new Tooltip("at: " + s.target()));
            stepList.getChildren().add(l);
        }
        markSteps();
    }

    private void markSteps() {
        int cur = model.index();
        List<Node> labels = stepList.getChildren();
        for (int i = 0; i < labels.size(); i++) {
            labels.get(i).pseudoClassStateChanged(CURRENT, i == cur);
            labels.get(i).pseudoClassStateChanged(DONE, i < cur);
        }
    }

    // ---- for the window and tests ----

    /** True once the open session's walkthrough has been looked for (found or not). FX thread. */
    public boolean loadFinished() {
        return loadFinished;
    }

    public WalkthroughViewModel model() {
        return model;
    }

    public VBox root() {
        return root;
    }

    /** The step labels, in order (the current one has the {@code :current} pseudo-class). */
    public List<Label> stepLabels() {
        return stepList.getChildren().stream().map(Label.class::cast).toList();
    }

    @FXML
    private void onNext() {
        next();
    }

    @FXML
    private void onRestart() {
        model.restart();
    }

    @FXML
    private void onClose() {
        setShowing(false);
    }
}
