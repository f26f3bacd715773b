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
 * Follows the theme itself: wider columns in the presenter theme (where its panes go is the layout's business).
 */
public final class ExitDetailsView {
    /** How much of the theme's type scale the VMCS columns follow. */
    static final double COLUMN_GROWTH = 0.4;

    @FXML private SplitPane split;
    @FXML private ExplanationView explanationController;
    @FXML private VmcsView vmcsController;

    private ExitDetailsViewModel model;

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
