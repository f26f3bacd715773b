package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.console.ConsoleView;
import dev.vmscope.app.ui.layout.ColumnFit;
import dev.vmscope.app.ui.layout.BottomTabs;
import dev.vmscope.app.ui.layout.PaneLayout;
import dev.vmscope.app.ui.layout.PresenterLayout;
import dev.vmscope.app.ui.exits.ExitTableView;
import dev.vmscope.app.ui.registers.RegistersView;
import dev.vmscope.app.ui.stats.StatisticsView;
import dev.vmscope.app.ui.timeline.TimelineView;
import dev.vmscope.app.ui.vmcs.ExitDetailsView;
import dev.vmscope.app.ui.walkthrough.WalkthroughView;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.trace.ExitSource;
import javafx.fxml.FXML;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The main window (FXML controller for {@code main-window.fxml}). Wires each pane's view to its model, the
 * toolbar and menus to the session commands, the theme to the scene, and everything that changes with the
 * engine to one {@link FrameUpdater}.
 */
public final class MainWindow {
    @FXML private BorderPane root;
    @FXML private Button continueButton;
    @FXML private Button pauseButton;
    @FXML private Button stepExitButton;
    @FXML private Button stepInstrButton;
    @FXML private Button restartButton;
    @FXML private ToggleButton recordButton;
    @FXML private Button openTraceButton;
    @FXML private ToggleButton presenterButton;
    @FXML private Label sessionLabel;
    @FXML private Label banner;
    @FXML private MenuItem continueItem;
    @FXML private MenuItem pauseItem;
    @FXML private MenuItem stepExitItem;
    @FXML private MenuItem stepInstrItem;
    @FXML private MenuItem restartItem;
    @FXML private MenuItem openTraceItem;
    @FXML private CheckMenuItem presenterItem;
    @FXML private CheckMenuItem kernelEventsItem;
    @FXML private ListView<GuestSpec.Manifest> samplesList;
    @FXML private SplitPane mainSplit;
    @FXML private SplitPane centreSplit;
    @FXML private TabPane bottomTabs;
    @FXML private Label statusLabel;
    @FXML private Label themeLabel;
    @FXML private javafx.scene.control.ProgressBar openProgress;
    @FXML private Button cancelOpenButton;
    @FXML private VBox leftPane;
    @FXML private SplitPane outerSplit;
    @FXML private TimelineView timelineController;
    @FXML private ExitTableView exitTableController;
    @FXML private RegistersView registersController;
    @FXML private ConsoleView consoleController;
    @FXML private StatisticsView statisticsController;
    // the debugger's panes (breakpoints, disassembly, memory) and the Record toggle: see DebugPanes
    @FXML private dev.vmscope.app.ui.breakpoints.BreakpointsView breakpointsController;
    @FXML private dev.vmscope.app.ui.disasm.DisassemblyView disassemblyController;
    @FXML private dev.vmscope.app.ui.memory.MemoryView memoryController;
    @FXML private javafx.scene.control.Tab disassemblyTab;
    @FXML private javafx.scene.control.Tab memoryTab;
    @FXML private Label recordLabel;
    @FXML private javafx.scene.layout.FlowPane collapsedStrip;
    @FXML private javafx.scene.control.ToolBar toolBar;
    // the included panes' roots, for collapsing and maximising them
    @FXML private javafx.scene.Node timeline;
    @FXML private javafx.scene.Node exitTable;
    @FXML private javafx.scene.Node registers;
    private PaneLayout paneLayout;
    private PresenterLayout presenterLayout;
    private ColumnFit registersFit;
    private final java.util.List<ColumnFit> columnFits = new java.util.ArrayList<>();    @FXML private SplitPane walkthroughDock;
    @FXML private CheckMenuItem walkthroughItem;
    @FXML private MenuItem walkthroughNextItem;
    @FXML private MenuItem walkthroughRestartItem;
    @FXML private WalkthroughView walkthroughController;
    private DebugPanes debugPanes;

    private MainViewModel vm;
    private FrameUpdater updater;
    private Stage stage;
    private Function<Path, ExitSource> traceOpener;

    /** Loads the window's FXML and binds it to {@code vm}; show it with {@link #show}. FX thread. */
    public static MainWindow load(MainViewModel vm) {
        FxThread.requireFx();
        URL fxml = MainWindow.class.getResource("/dev/vmscope/app/ui/fxml/main-window.fxml");
        if (fxml == null) {
            throw new IllegalStateException("main-window.fxml is missing from the classpath");
        }
        FXMLLoader loader = new FXMLLoader(fxml);
        Parent parent;
        try {
            parent = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load main-window.fxml", e);
        }
        MainWindow w = loader.getController();
        w.bind(vm, new FrameUpdater());
        ExitKeys.install(new Scene(parent), vm);
        w.applyTheme(vm.themeProperty().get());
        return w;
    }

    /**
     * Restores pane sizes and the theme from the user's preferences now, and saves them when the window
     * closes (the application does this; tests leave the user's preferences alone).
     */
    public void rememberLayout(java.util.prefs.Preferences prefs) {
        SplitPane[] splits = {outerSplit, mainSplit, centreSplit, exitDetailsController.split()};
        for (int i = 0; i < splits.length; i++) {
            double[] d = splits[i].getDividerPositions();
            for (int j = 0; j < d.length; j++) {
                double v = prefs.getDouble("split" + i + "." + j, d[j]);
                if (v > 0.02 && v < 0.98) {
                    splits[i].setDividerPosition(j, v);
                }
            }
        }
        if (prefs.getBoolean("presenter", false)) {
            vm.themeProperty().set(Theme.PRESENTER);
        }
        root.sceneProperty().get().windowProperty().addListener((o, a, win) -> {
            if (win != null) {
                win.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDING, e -> {
                    for (int i = 0; i < splits.length; i++) {
                        double[] d = splits[i].getDividerPositions();
                        for (int j = 0; j < d.length; j++) {
                            prefs.putDouble("split" + i + "." + j, d[j]);
                        }
                    }
                    prefs.putBoolean("presenter", vm.themeProperty().get() == Theme.PRESENTER);
                });
            }
        });
    }

    /** Breakpoints, disassembly, memory and recording. */
    public DebugPanes debugPanes() {
        return debugPanes;
    }

    /** Puts the window on {@code stage} and starts the per-frame updates. */
    public void show(Stage s) {
        stage = s;
        s.setScene(root.getScene());
        s.titleProperty().bind(vm.titleProperty());
        s.setOnHidden(e -> {
            updater.stop();
            vm.close();
        });
        updater.start();
        s.show();
        timelineController.canvas().requestFocus();
    }

    private void bind(MainViewModel model, FrameUpdater frames) {
        vm = model;
        updater = frames;
        timelineController.bind(vm.timeline(), updater);
        exitTableController.bind(vm.exits(), updater);
        registersController.bind(vm.registers());
        statisticsController.bind(vm.statistics());
        vm.setConsoleSink(consoleController::append);
        vm.setOnSourceGrew(() -> {
            timelineController.markDirty();
            exitTableController.markDirty();
        });
        vm.setOnKernelGrew(() -> {
            timelineController.markDirty();
            exitTableController.kernelGrew();
        });
        vm.setOnSourceChanged(() -> {
            consoleController.clear();
            exitTableController.sourceChanged(vm.session() == null ? null : vm.session().source());
            timelineController.markDirty();
        });
        vm.selection().seqProperty().addListener((o, a, b) -> vm.timeline().ensureVisible(b.longValue()));
        exitDetailsController.bind(vm, updater);
        updater.addPoller(vm::poll);

        continueButton.disableProperty().bind(vm.canResumeProperty().not());
        continueItem.disableProperty().bind(vm.canResumeProperty().not());
        pauseButton.disableProperty().bind(vm.canPauseProperty().not());
        pauseItem.disableProperty().bind(vm.canPauseProperty().not());
        stepExitButton.disableProperty().bind(vm.canStepProperty().not());
        stepExitItem.disableProperty().bind(vm.canStepProperty().not());
        stepInstrButton.disableProperty().bind(vm.canStepInstructionProperty().not());
        stepInstrItem.disableProperty().bind(vm.canStepInstructionProperty().not());
        restartButton.disableProperty().bind(vm.canRestartProperty().not());
        restartItem.disableProperty().bind(vm.canRestartProperty().not());
        tip(continueButton, "Continue every vCPU (F5)");
        tip(pauseButton, "Pause every vCPU, even one spinning in the guest (Shift+F5)");
        tip(stepExitButton, "Run the selected exit's vCPU to its next exit (F10)");
        tip(stepInstrButton, "Run one instruction on the selected exit's vCPU (F11, KVM single-step)");
        tip(restartButton, "Run the guest again from its first instruction");
        debugPanes = DebugPanes.bind(vm, updater, breakpointsController, disassemblyController, disassemblyTab,
                memoryController, memoryTab, recordButton, recordLabel);
        setTraceOpener(null);
        walkthroughController.bind(vm, updater, walkthroughDock, walkthroughItem, walkthroughNextItem,
                walkthroughRestartItem);
        bindLayout(walkthroughController.model());

        statusLabel.textProperty().bind(vm.statusProperty());
        banner.textProperty().bind(vm.bannerProperty());
        banner.visibleProperty().bind(vm.bannerProperty().isNotEmpty());
        banner.managedProperty().bind(banner.visibleProperty());
        dev.vmscope.app.ui.layout.TitleFit.install(toolBar, sessionLabel, vm.titleProperty(), vm.originProperty());

        kernelEventsItem.selectedProperty().bindBidirectional(vm.kernelEventsWantedProperty());
        kernelEventsItem.selectedProperty().addListener((o, a, b) -> vm.statusProperty().set(vm.liveProperty().get()
                ? "kernel events " + (b ? "on" : "off") + " from the next start (Run ▸ Restart)"
                : "kernel events " + (b ? "on" : "off") + " for the next guest"));
        presenterItem.selectedProperty().addListener((o, a, b) ->
                vm.themeProperty().set(b ? Theme.PRESENTER : Theme.DEFAULT));
        presenterButton.selectedProperty().addListener((o, a, b) ->
                vm.themeProperty().set(b ? Theme.PRESENTER : Theme.DEFAULT));
        vm.themeProperty().addListener((o, a, b) -> applyTheme(b));

        samplesList.setItems(vm.samples());
        samplesList.setPlaceholder(new Label("no samples found"));
        samplesList.setCellFactory(l -> new ListCell<>() {
            {
                setWrapText(true);
                prefWidthProperty().bind(l.widthProperty().subtract(18));
            }

            @Override
            protected void updateItem(GuestSpec.Manifest m, boolean empty) {
                super.updateItem(m, empty);
                if (empty || m == null) {
                    setText(null);
                    setTooltip(null);
                } else {
                    setText(m.name() + (m.description().isEmpty() ? "" : "\n" + m.description()));
                    setTooltip(new Tooltip(m.description() + "\n" + m.mode().name().toLowerCase() + " mode, "
                            + m.vcpus() + " vCPU(s) — double-click to run it (or browse its recorded trace"
                            + " without KVM); right-click for both"));
                }
            }
        });
        MenuItem runLive = new MenuItem("Run live on KVM");
        runLive.setOnAction(e -> {
            GuestSpec.Manifest m = samplesList.getSelectionModel().getSelectedItem();
            if (m != null) {
                vm.openSample(m);
            }
        });
        runLive.disableProperty().bind(vm.kvmAvailableProperty().not());
        MenuItem openRecorded = new MenuItem("Open its recorded trace");
        openRecorded.setOnAction(e -> {
            GuestSpec.Manifest m = samplesList.getSelectionModel().getSelectedItem();
            Path t = m == null ? null : MainViewModel.bundledTrace(m);
            if (t != null) {
                openTraceFile(t);
            }
        });
        samplesList.setContextMenu(new javafx.scene.control.ContextMenu(runLive, openRecorded));
        openProgress.visibleProperty().bind(vm.openProgressProperty().greaterThanOrEqualTo(0));
        openProgress.managedProperty().bind(openProgress.visibleProperty());
        openProgress.progressProperty().bind(vm.openProgressProperty());
        cancelOpenButton.visibleProperty().bind(openProgress.visibleProperty());
        cancelOpenButton.managedProperty().bind(openProgress.visibleProperty());
        samplesList.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                openSelectedSample();
            }
        });
        samplesList.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                openSelectedSample();
            }
        });
    }

    /** Panes that collapse, maximise and restore; the presenter arrangement; columns sized to their content. */
    private void bindLayout(dev.vmscope.app.ui.walkthrough.WalkthroughViewModel walk) {
        paneLayout = new PaneLayout(collapsedStrip);
        javafx.scene.control.SplitPane details = exitDetailsController.split();
        for (javafx.scene.control.SplitPane s : new javafx.scene.control.SplitPane[] {outerSplit, mainSplit, centreSplit,
                details}) {
            paneLayout.split(s);
        }
        paneLayout.pane(PaneLayout.Id.SIDEBAR, leftPane);
        paneLayout.pane(PaneLayout.Id.TIMELINE, timeline);
        paneLayout.pane(PaneLayout.Id.EXITS, exitTable);
        paneLayout.pane(PaneLayout.Id.REGISTERS, registers);
        paneLayout.pane(PaneLayout.Id.WHY, details.getItems().get(0));
        paneLayout.pane(PaneLayout.Id.VMCS, details.getItems().get(1));
        paneLayout.pane(PaneLayout.Id.TABS, bottomTabs);
        presenterLayout = new PresenterLayout(paneLayout, BottomTabs.install(bottomTabs, outerSplit), outerSplit,
                mainSplit, details);
        walk.indexProperty().addListener((o, a, b) -> {
            presenterLayout.step(step(walk));
            registersController.spotlight(stepText(walk));
            registersFit.reset();   // the step's registers are new content: their columns may narrow
        });
        vm.themeProperty().addListener((o, a, t) -> presenterLayout.setOn(t == Theme.PRESENTER, step(walk)));
        root.heightProperty().addListener((o, a, h) -> {   // only the presenter theme's type follows the height
            if (vm.themeProperty().get() == Theme.PRESENTER) {
                sizeType(Theme.PRESENTER);
            }
        });
        columnFits.add(ColumnFit.install(exitTableController.table()).cutLast());
        registersFit = ColumnFit.install(registersController.table()).wrapLast();
        columnFits.add(registersFit);
        columnFits.add(ColumnFit.install(exitDetailsController.vmcs().tree()));
        for (javafx.scene.Node n : toolBar.getItems()) {   // toolbar buttons keep their whole text
            if (n instanceof javafx.scene.layout.Region r) {
                r.setMinWidth(javafx.scene.control.Control.USE_PREF_SIZE);
            }
        }
    }

    private static dev.vmscope.engine.walkthrough.Walkthrough.Step step(
            dev.vmscope.app.ui.walkthrough.WalkthroughViewModel walk) {
        int i = walk.index();
        return i < 0 || i >= walk.steps().size() ? null : walk.steps().get(i);
    }

    private static String stepText(dev.vmscope.app.ui.walkthrough.WalkthroughViewModel walk) {
        var s = step(walk);
        return s == null ? null : s.text();
    }

    /** Collapse, maximise and restore (View menu; any theme). */
    public PaneLayout paneLayout() {
        return paneLayout;
    }

    private PaneLayout.Id focusedPane() {
        javafx.scene.Node f = root.getScene() == null ? null : root.getScene().getFocusOwner();
        PaneLayout.Id id = f == null ? null : paneLayout.paneOf(f);
        return id != null ? id : PaneLayout.Id.EXITS;
    }

    @FXML
    private void onMaximisePane() {
        paneLayout.maximise(focusedPane());
    }

    @FXML
    private void onCollapsePane() {
        paneLayout.collapse(focusedPane());
    }

    @FXML
    private void onRestorePanes() {
        paneLayout.restoreAll();
    }

    private static void tip(javafx.scene.control.Control c, String text) {
        Tooltip t = new Tooltip(text);
        t.setShowDuration(javafx.util.Duration.seconds(10));
        c.setTooltip(t);
    }

    /** Overrides how "Open trace" turns a file into an exit source; null (the default) uses TraceReader. */
    public void setTraceOpener(Function<Path, ExitSource> opener) {
        traceOpener = opener;
        tip(openTraceButton, "Open a recorded .vmtrace (Ctrl+O); samples ship one each");
    }

    /** Opens {@code file} as a replay, with progress and cancel in the status bar. */
    public void openTraceFile(Path file) {
        if (traceOpener == null) {
            vm.openTrace(file);
            return;
        }
        vm.statusProperty().set("opening " + file.getFileName() + "…");
        FxThread.background(() -> traceOpener.apply(file)).whenComplete((src, err) -> FxThread.run(() -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                vm.bannerProperty().set("Could not open " + file.getFileName() + ": " + c.getMessage());
            } else {
                vm.openReplay(src, file.getFileName().toString());
            }
        }));
    }

    private void openSelectedSample() {
        GuestSpec.Manifest m = samplesList.getSelectionModel().getSelectedItem();
        if (m != null) {
            vm.openSample(m);
        }
    }

    void applyTheme(Theme t) {
        Scene scene = root.getScene();
        if (scene != null) {
            scene.getStylesheets().setAll(t.stylesheets());
        }
        sizeType(t);
        for (ColumnFit f : columnFits) {
            f.reset();   // another type size: columns fit again
        }
        presenterItem.setSelected(t == Theme.PRESENTER);
        presenterButton.setSelected(t == Theme.PRESENTER);
        themeLabel.setText(t == Theme.PRESENTER ? "presenter theme" : "");
    }


    public BorderPane root() {
        return root;
    }

    public MainViewModel viewModel() {
        return vm;
    }

    /** The walkthrough panel (lecture mode), shown beside the window from View ▸ Walkthrough. */
    public WalkthroughView walkthrough() {
        return walkthroughController;
    }

    public FrameUpdater updater() {
        return updater;
    }

    public TimelineView timeline() {
        return timelineController;
    }

    public ExitTableView exitTable() {
        return exitTableController;
    }

    public RegistersView registers() {
        return registersController;
    }

    public ConsoleView console() {
        return consoleController;
    }

    // ---- the explanation and VMCS panes under the timeline and exit list (exit-details.fxml) ----

    @FXML private ExitDetailsView exitDetailsController;

    public ExitDetailsView exitDetails() {
        return exitDetailsController;
    }

    // ---- actions ----

    @FXML
    private void onContinue() {
        vm.resume();
    }

    @FXML
    private void onPause() {
        vm.pause();
    }

    @FXML
    private void onStepExit() {
        vm.stepExit();
    }

    @FXML
    private void onStepInstruction() {
        vm.stepInstruction();
    }

    @FXML
    private void onRestart() {
        vm.restart();
    }

    /** Asks for a port and lets gdb attach to this session (and every one opened after it). */
    @FXML
    private void onWaitForGdb() {
        javafx.scene.control.TextInputDialog d = new javafx.scene.control.TextInputDialog("1234");
        d.initOwner(stage);
        d.setTitle("Wait for gdb");
        d.setHeaderText("gdb attaches with: target remote :PORT (127.0.0.1 only unless you give a host)");
        d.setContentText("[host:]port");
        d.showAndWait().ifPresent(spec -> vm.setGdb(new dev.vmscope.app.ui.session.GdbLink(spec.strip(),
                dev.vmscope.engine.gdb.GdbArch.X86_64,
                line -> dev.vmscope.app.ui.FxThread.run(() -> vm.statusProperty().set(line)))));
    }

    @FXML
    private void onOpenTrace() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a vmscope trace");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("vmscope traces", "*.vmtrace"));
        File f = fc.showOpenDialog(stage);
        if (f != null) {
            openTraceFile(f.toPath());
        }
    }

    @FXML
    private void onExportPng() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Export the view as PNG");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG images", "*.png"));
        fc.setInitialFileName("vmscope.png");
        File f = fc.showSaveDialog(stage);
        if (f != null) {
            exportPng(f.toPath());
        }
    }

    /** The presenter theme's type for the window's height (the default theme's is fixed), in panes and timeline. */
    private void sizeType(Theme t) {
        boolean presenter = t == Theme.PRESENTER;
        int px = PresenterLayout.typeSize(root.getHeight());
        String before = root.getStyle();
        PresenterLayout.sizeType(root, presenter, root.getHeight());
        timelineController.setStyle(presenter && root.getHeight() > 0
                ? t.timelineStyle().withFontScale(px / Theme.DEFAULT_TYPE_PX) : t.timelineStyle());
        if (!root.getStyle().equals(before)) {
            for (ColumnFit f : columnFits) {
                f.reset();
            }
        }
    }

    /** Writes the window as it looks now to {@code file} (the encoding runs off the FX thread). */
    public java.util.concurrent.CompletableFuture<Path> exportPng(Path file) {
        var img = dev.vmscope.app.ui.shot.PngExport.snapshot(root.getScene());
        return FxThread.background(() -> {
            try {
                dev.vmscope.app.ui.shot.PngExport.write(img, file);
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).whenComplete((v, err) -> FxThread.run(() -> vm.statusProperty().set(err == null
                ? "view written to " + file : "could not write " + file + ": " + err.getCause().getMessage())));
    }

    @FXML
    private void onCancelOpen() {
        vm.cancelOpen();
    }

    @FXML
    private void onOpenGuest() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open a sample directory");
        File d = dc.showDialog(stage);
        if (d != null) {
            try {
                vm.openGuest(GuestSpec.resolve(d.toPath()).build());
            } catch (RuntimeException e) {
                vm.bannerProperty().set(e.getMessage());
            }
        }
    }

    @FXML
    private void onQuit() {
        if (stage != null) {
            stage.close();
        }
    }

    @FXML
    private void onFit() {
        vm.timeline().followProperty().set(true);
        vm.timeline().fitAll();
    }

    @FXML
    private void onZoomIn() {
        vm.timeline().zoomIn();
    }

    @FXML
    private void onZoomOut() {
        vm.timeline().zoomOut();
    }

    @FXML
    private void onFindExits() {
        if (exitDetailsController.vmcs().containsFocus()) {     // Ctrl+F in the VMCS pane finds fields
            exitDetailsController.vmcs().focusSearch();
            return;
        }
        exitTableController.textFilter().requestFocus();
    }

    @FXML
    private void onShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.OK);
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("vmscope keys");
        a.getDialogPane().setContent(Shortcuts.table());
        a.getDialogPane().getStylesheets().setAll(vm.themeProperty().get().stylesheets());
        a.initOwner(stage);
        a.show();
    }
}
