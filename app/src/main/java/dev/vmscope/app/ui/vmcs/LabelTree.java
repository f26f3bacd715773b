package dev.vmscope.app.ui.vmcs;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;

import java.util.List;
import java.util.Objects;

/**
 * Compares and updates small trees of panes and labels built in code, so that a pane rebuilt for every selection
 * keeps its nodes (their styles, skins and text layout) when only the texts differ.
 */
final class LabelTree {
    private LabelTree() {
    }

    /** Both lists hold trees of the same node classes, style classes and ids, child for child. */
    static boolean sameShape(List<? extends Node> a, List<? extends Node> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Node x = a.get(i);
            Node y = b.get(i);
            if (x.getClass() != y.getClass() || !x.getStyleClass().equals(y.getStyleClass())
                    || !Objects.equals(x.getId(), y.getId())) {
                return false;
            }
            boolean parent = x instanceof Parent && !(x instanceof Label);   // a label's children are its skin's
            if (parent && !sameShape(((Parent) x).getChildrenUnmodifiable(), ((Parent) y).getChildrenUnmodifiable())) {
                return false;
            }
        }
        return true;
    }

    /** Gives every label in {@code to} the text of its counterpart in {@code from} (trees of the same shape). */
    static void copyTexts(List<? extends Node> from, List<? extends Node> to) {
        for (int i = 0; i < from.size(); i++) {
            Node x = from.get(i);
            if (x instanceof Label lx) {
                ((Label) to.get(i)).setText(lx.getText());
            } else if (x instanceof Parent px) {
                copyTexts(px.getChildrenUnmodifiable(), ((Parent) to.get(i)).getChildrenUnmodifiable());
            }
        }
    }
}
