package dev.vmscope.app.ui.vmcs;

import dev.vmscope.engine.vmcs.Explanation;
import javafx.fxml.FXML;
import javafx.geometry.HPos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;

/**
 * The "Why this exit happened" pane (FXML controller for {@code explanation.fxml}): the selected exit's
 * explanations as short labelled paragraphs, what KVM reported, the exit qualification in words, and where to
 * read more. Rebuilt from {@link ExplanationViewModel.Content} whenever it changes (a few labels).
 */
public final class ExplanationView {
    @FXML private VBox root;
    @FXML private ScrollPane scroll;
    @FXML private VBox body;

    private ExplanationViewModel vm;

    public void bind(ExplanationViewModel model) {
        vm = model;
        vm.contentProperty().addListener((o, a, b) -> show(b));
        show(vm.content());
    }

    private void show(ExplanationViewModel.Content c) {
        List<Node> nodes = new ArrayList<>();
        if (c.placeholder() != null) {
            nodes.add(label(c.placeholder(), "muted", "explanation-placeholder"));
            replace(nodes);
            return;
        }
        nodes.add(label(c.headline(), "explanation-headline"));
        List<Explanation> ex = c.explanations();
        if (!ex.isEmpty()) {
            nodes.add(label(ex.get(0).title(), "explanation-title"));
        }
        // this exit first (what KVM said, the qualification in words), then the general why
        VBox exit = new VBox(3, label(c.reported(), "explanation-reported"),
                label(c.qualification(), "explanation-qualification"));
        if (!c.qualificationText().isEmpty()) {
            exit.getChildren().add(label(c.qualificationText(), "explanation-qualification-words"));
        }
        exit.getStyleClass().add("explanation-exit");
        exit.setId("explanation-exit");
        nodes.add(exit);
        if (!ex.isEmpty()) {
            nodes.add(explanation(ex.get(0), false));
        }
        for (int i = 1; i < ex.size(); i++) {
            nodes.add(explanation(ex.get(i), true));
        }
        for (String n : c.notes()) {
            nodes.add(label(n, "muted", "explanation-note"));
        }
        if (!c.kernelHeading().isEmpty()) {
            nodes.add(kernel(c));
        }
        replace(nodes);
        scroll.setVvalue(0);
    }

    /**
     * Shows {@code nodes}. When they have the shape of what shows now (the next exit of the same kind), only the
     * texts change: new labels would be styled over two pulses, and the second, which changes nothing visible, makes
     * JavaFX repaint the whole window (tens of ms with software rendering) after every selection.
     */
    private void replace(List<Node> nodes) {
        if (LabelTree.sameShape(body.getChildren(), nodes)) {
            LabelTree.copyTexts(nodes, body.getChildren());
        } else {
            body.getChildren().setAll(nodes);
        }
    }

    /** What the kernel did since the vCPU's previous exit: a heading, then one monospaced line per event. */
    private static Node kernel(ExplanationViewModel.Content c) {
        VBox box = new VBox(2, label(c.kernelHeading(), "explanation-subtitle"));
        box.setId("explanation-kernel");
        box.getStyleClass().add("explanation-kernel");
        for (String line : c.kernel()) {
            Label l = label(line, "explanation-kernel-event");
            box.getChildren().add(l);
        }
        return box;
    }

    /**
     * What the guest did, why it exited, what happens next and where to read, as a two-column grid; with its
     * title when it is the processor-level explanation behind the KVM one.
     */
    private static Node explanation(Explanation e, boolean behind) {
        VBox box = new VBox(4);
        box.getStyleClass().add("explanation");
        if (behind) {
            box.getChildren().add(label("Behind it, on the processor: " + e.title(), "explanation-subtitle"));
        }
        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(3);
        ColumnConstraints lead0 = new ColumnConstraints();
        lead0.setHalignment(HPos.LEFT);
        lead0.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints text = new ColumnConstraints();
        text.setHgrow(Priority.ALWAYS);
        text.setFillWidth(true);
        text.setMinWidth(40);
        g.getColumnConstraints().setAll(lead0, text);
        String[][] rows = {{"The guest", e.guestDid()}, {"Why it exited", e.whyExit()},
                {"What happens next", e.hypervisorNext()}, {"Read", e.readMore()}};
        for (int r = 0; r < rows.length; r++) {
            Label l = label(rows[r][0], "explanation-lead");
            Label t = label(rows[r][1], r == 3 ? "explanation-reference" : "explanation-text");
            GridPane.setValignment(l, VPos.TOP);
            g.add(l, 0, r);
            g.add(t, 1, r);
        }
        box.getChildren().add(g);
        return box;
    }

    private static Label label(String text, String... styles) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.getStyleClass().addAll(styles);
        return l;
    }

    /** Every label's text in the pane, top to bottom (what a reader sees). */
    public String text() {
        StringBuilder b = new StringBuilder();
        collect(body, b);
        return b.toString();
    }

    private static void collect(Node n, StringBuilder b) {
        if (n instanceof Label l) {
            b.append(l.getText()).append('\n');
        } else if (n instanceof javafx.scene.Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) {
                collect(c, b);
            }
        }
    }

    public VBox root() {
        return root;
    }

    public VBox body() {
        return body;
    }

    public ExplanationViewModel viewModel() {
        return vm;
    }
}
