package dev.vmscope.app.ui.layout;

import javafx.beans.value.ObservableStringValue;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;

/**
 * Keeps the run's title in the toolbar, beside the controls: a toolbar moves whatever does not fit at its
 * preferred width into its overflow menu, and the title (a trace's file name at presenter type) was the first to
 * go. The label shows as much of the title as the room the other items leave, cut in the middle (where a file
 * name's words are), and says the whole title, or where the run came from, on hover.
 */
public final class TitleFit {
    /** Between the application's name and the run's in a title. */
    static final String APP_SEPARATOR = " — ";
    /** What stands for the cut part. */
    static final String CUT = "…";
    /** Fewer characters than this of a cut title help nobody: the label then keeps them and the toolbar decides. */
    static final int LEAST_CHARS = 12;

    /** The bar rounds each item's width up to whole pixels: room for that. */
    static final double SNAP_SLACK = 12;

    private final ToolBar bar;
    private final Label label;
    private final ObservableStringValue title;
    private final Text measure = new Text();

    private TitleFit(ToolBar bar, Label label, ObservableStringValue title) {
        this.bar = bar;
        this.label = label;
        this.title = title;
    }

    /**
     * Shows {@code title} in {@code label}, an item of {@code bar}, shortened to the room there; the tooltip says
     * {@code whole} (the title itself when that is empty). FX thread.
     */
    public static void install(ToolBar bar, Label label, ObservableStringValue title, ObservableStringValue whole) {
        TitleFit f = new TitleFit(bar, label, title);
        Tooltip tip = new Tooltip();
        tip.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> whole.get() == null || whole.get().isEmpty() ? title.get() : whole.get(), title, whole));
        label.setTooltip(tip);
        title.addListener(o -> f.fit());
        bar.widthProperty().addListener(o -> f.fit());
        label.fontProperty().addListener(o -> f.fit());
        // the other items' widths follow their type (the presenter's follows the window's height)
        bar.needsLayoutProperty().addListener((o, a, b) -> {
            if (!b) {
                f.fit();
            }
        });
        f.fit();
    }

    /** Sets the label's text to the title, shortened to what the bar has room for. */
    void fit() {
        String whole = title.get() == null ? "" : title.get();
        double room = room() - label.snappedLeftInset() - label.snappedRightInset() - SNAP_SLACK;
        measure.setFont(label.getFont());
        String shown = room <= 0 ? whole : shorten(whole, room, this::width);
        if (!shown.equals(label.getText())) {
            label.setText(shown);
        }
        if (!inBar() && width(shown) <= room) {
            // the bar sorts its items into the overflow menu only when its width or its items change, and a
            // label in that menu cannot tell it that it is narrower now: hand the label to it again
            int at = bar.getItems().indexOf(label);
            if (at >= 0) {
                bar.getItems().remove(at);
                bar.getItems().add(at, label);
            }
        }
    }

    /** The label sits in the bar itself, not in its overflow menu. */
    private boolean inBar() {
        return label.getParent() != null && label.getParent().getParent() == bar;
    }

    /** The bar's width less what its other items and the gaps between them take. */
    private double room() {
        double spacing = bar.lookup(".container") instanceof javafx.scene.layout.HBox box ? box.getSpacing() : 0;
        double used = bar.snappedLeftInset() + bar.snappedRightInset();
        for (Node n : bar.getItems()) {
            if (n != label && n.isManaged()) {
                used += n.prefWidth(-1) + spacing;
            }
        }
        return bar.getWidth() - used;
    }

    private double width(String s) {
        measure.setText(s);
        return measure.getLayoutBounds().getWidth();
    }

    /**
     * {@code whole} if it is at most {@code room} wide by {@code widthOf}; else without the application's name
     * before {@link #APP_SEPARATOR} (the window's own title bar says it), and if that is still too wide, its start
     * and end with {@link #CUT} between, as long as fits (never fewer than {@link #LEAST_CHARS} characters).
     */
    static String shorten(String title, double room, java.util.function.ToDoubleFunction<String> widthOf) {
        if (widthOf.applyAsDouble(title) <= room) {
            return title;
        }
        int app = title.indexOf(APP_SEPARATOR);
        String whole = app < 0 ? title : title.substring(app + APP_SEPARATOR.length());
        if (widthOf.applyAsDouble(whole) <= room) {
            return whole;
        }
        for (int keep = whole.length() - 1; keep >= LEAST_CHARS; keep--) {
            int head = (keep + 1) / 2;
            String s = whole.substring(0, head) + CUT + whole.substring(whole.length() - (keep - head));
            if (widthOf.applyAsDouble(s) <= room) {
                return s;
            }
        }
        int head = (LEAST_CHARS + 1) / 2;
        return whole.length() <= LEAST_CHARS ? whole
                : whole.substring(0, head) + CUT + whole.substring(whole.length() - (LEAST_CHARS - head));
    }
}
