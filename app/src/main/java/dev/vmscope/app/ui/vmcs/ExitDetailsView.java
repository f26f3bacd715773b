package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.main.MainViewModel;
import javafx.fxml.FXML;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TreeTableColumn;

/**
 * The area under the timeline and exit list (FXML controller for {@code exit-details.fxml}): the explanation
 * pane beside the VMCS inspector, both following the shared selection through one {@link ExitDetailsViewModel}.
 * Follows the theme itself: wider columns and a larger explanation in the presenter theme.
 */
public final class ExitDetailsView {
    /** Where the divider goes per theme: the explanation grows in front of a lecture hall. */
    static final double DEFAULT_DIVIDER = 0.36;
    static final double PRESENTER_DIVIDER = 0.46;
    /** The row's top and bottom in the window's vertical split, in the presenter theme. */
    static final double[] PRESENTER_ROW = {0.45, 0.92};
    /** How much of the theme's type scale the VMCS columns follow. */
    static final double COLUMN_GROWTH = 0.4;

    @FXML private SplitPane split;
    @FXML private ExplanationView explanationController;
    @FXML private VmcsView vmcsController;

    private ExitDetailsViewModel model;
    private Theme theme;
    private double[] outerBefore;

    /** Follows {@code vm}'s selection, session and theme; {@code updater} retries exits a live run has not published yet. */
    public void bind(MainViewModel vm, FrameUpdater updater) {
        model = new ExitDetailsViewModel(vm.selection());
        vm.sessionProperty().addListener((o, a, b) -> model.setSession(b));
        model.setSession(vm.session());
        updater.addPoller(model::poll);
        explanationController.bind(new ExplanationViewModel(model));
        vmcsController.bind(new VmcsViewModel(model));
        vm.themeProperty().addListener((o, a, b) -> applyTheme(b));
        applyTheme(vm.themeProperty().get());
    }

    private void applyTheme(Theme t) {
        boolean presenter = t == Theme.PRESENTER;
        split.getStyleClass().remove("presenter");
        if (presenter) {
            split.getStyleClass().add("presenter");
        }
        // columns grow less than the type: the compact set (no encoding, no width) shares a half-width pane
        double scale = 1 + (t.scale() - 1) * COLUMN_GROWTH;
        for (TreeTableColumn<?, ?> c : vmcsController.tree().getColumns()) {
            Object base = c.getProperties().computeIfAbsent("vmscope.baseWidth", k -> c.getPrefWidth());
            c.setPrefWidth((Double) base * scale);
        }
        vmcsController.setCompact(presenter);
        if (theme != null && theme != t) {
            split.setDividerPositions(presenter ? PRESENTER_DIVIDER : DEFAULT_DIVIDER);
            growRow(presenter);
        }
        theme = t;
    }

    /**
     * In the presenter theme this row takes more of the window's height from the split it sits in (the
     * explanation is what a lecture hall reads), and gives it back when the theme changes back.
     */
    private void growRow(boolean presenter) {
        SplitPane outer = enclosingSplit();
        if (outer == null || outer.getItems().size() != 3 || outer.getItems().get(1) != split) {
            return;                     // not the window's three-row layout (or not laid out yet): leave it
        }
        if (presenter) {
            outerBefore = outer.getDividerPositions();
            outer.setDividerPositions(PRESENTER_ROW[0], PRESENTER_ROW[1]);
        } else if (outerBefore != null) {
            outer.setDividerPositions(outerBefore);
            outerBefore = null;
        }
    }

    private SplitPane enclosingSplit() {
        for (javafx.scene.Node n = split.getParent(); n != null; n = n.getParent()) {
            if (n instanceof SplitPane sp && sp.getItems().contains(split)) {
                return sp;
            }
        }
        return null;
    }

    public SplitPane split() {
        return split;
    }

    public ExitDetailsViewModel model() {
        return model;
    }

    public VmcsView vmcs() {
        return vmcsController;
    }

    public ExplanationView explanation() {
        return explanationController;
    }
}
