package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.main.MainViewModel;
import javafx.fxml.FXML;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TreeTableColumn;

/**
 * The area under the timeline and exit list (FXML controller for {@code exit-details.fxml}): the explanation
 * pane beside the VMCS inspector, both following the shared selection through one {@link ExitDetailsModel}.
 * Follows the theme itself: wider columns and a larger explanation in the presenter theme.
 */
public final class ExitDetailsView {
    /** Where the divider goes per theme: the explanation grows in front of a lecture hall. */
    static final double DEFAULT_DIVIDER = 0.36;
    static final double PRESENTER_DIVIDER = 0.5;

    @FXML private SplitPane split;
    @FXML private ExplanationView explanationController;
    @FXML private VmcsView vmcsController;

    private ExitDetailsModel model;
    private Theme theme;

    /** Follows {@code vm}'s selection, session and theme; {@code updater} retries exits a live run has not published yet. */
    public void bind(MainViewModel vm, FrameUpdater updater) {
        model = new ExitDetailsModel(vm.selection());
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
        for (TreeTableColumn<?, ?> c : vmcsController.tree().getColumns()) {
            Object base = c.getProperties().computeIfAbsent("vmscope.baseWidth", k -> c.getPrefWidth());
            c.setPrefWidth((Double) base * t.scale());
        }
        if (theme != null && theme != t) {
            split.setDividerPositions(presenter ? PRESENTER_DIVIDER : DEFAULT_DIVIDER);
        }
        theme = t;
    }

    public SplitPane split() {
        return split;
    }

    public ExitDetailsModel model() {
        return model;
    }

    public VmcsView vmcs() {
        return vmcsController;
    }

    public ExplanationView explanation() {
        return explanationController;
    }
}
