package dev.vmscope.app.ui.layout;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableView;
import javafx.scene.control.skin.TableColumnHeader;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes a table's columns to what they show, so no header or cell is cut to "…": after layout, each column is
 * as wide as its widest header or visible cell (it only grows while the same content is shown, so scrolling does
 * not make columns jump), and the last column takes what is left of the table's width. What does not fit scrolls
 * sideways instead of being cut. Measuring the visible cells costs a few hundred width computations, done at most
 * after a layout pass of the table (new cell texts, a new width), and every {@link #PERIOD_NANOS} besides.
 */
public final class ColumnFit {
    static final long PERIOD_NANOS = 200_000_000L;
    /** Room beside the widest text (cell padding rounding, the sort arrow of a header). */
    private static final double SLACK = 6;

    private final Control table;
    private final Map<TableColumnBase<?, ?>, Double> widest = new HashMap<>();
    private final javafx.scene.text.Text measure = new javafx.scene.text.Text();
    private long last;
    /** Bumped by {@link #reset}: every cell is measured again. */
    private int generation;

    /** What a cell showed when it was last measured. */
    private record Measured(int generation, String text) {
    }
    private boolean dirty = true;
    /**
     * The last column takes the room left and no more when that is at least this many em (see {@link #wrapLast},
     * {@link #cutLast}); 0: it is always as wide as its widest text.
     */
    private double lastLeastEm;
    /** The cells' type size, as last seen. */
    private double fontSize = 12;

    private ColumnFit(Control table) {
        this.table = table;
    }

    /** Fits {@code t}'s columns from now on (FX thread). */
    public static ColumnFit install(TableView<?> t) {
        t.setColumnResizePolicy(TableView.UNCONSTRAINED_RESIZE_POLICY);
        return start(new ColumnFit(t));
    }

    /** Fits {@code t}'s columns from now on (FX thread). */
    public static ColumnFit install(TreeTableView<?> t) {
        t.setColumnResizePolicy(TreeTableView.UNCONSTRAINED_RESIZE_POLICY);
        return start(new ColumnFit(t));
    }

    private static ColumnFit start(ColumnFit f) {
        f.table.widthProperty().addListener((o, a, b) -> f.dirty = true);
        // cells that change their text lay the table out again: measure after that layout
        f.table.needsLayoutProperty().addListener((o, a, b) -> f.dirty |= b);
        Runnable afterLayout = f::afterLayout;
        f.table.sceneProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.removePostLayoutPulseListener(afterLayout);
            }
            if (b != null) {
                b.addPostLayoutPulseListener(afterLayout);
            }
        });
        if (f.table.getScene() != null) {
            f.table.getScene().addPostLayoutPulseListener(afterLayout);
        }
        return f;
    }

    private void afterLayout() {
        long now = System.nanoTime();
        if (table.isVisible() && (dirty || now - last > PERIOD_NANOS)) {
            last = now;
            dirty = false;
            fit();
        }
    }

    /**
     * The last column's cells wrap their text (their rows grow) instead of scrolling sideways: the column takes
     * what the others leave, when that is at least {@link #MIN_WRAP_EM} em (less would stack the words one a line;
     * the column then shows its widest text on one line and the table scrolls sideways). For a table without a
     * fixed row height.
     */
    public ColumnFit wrapLast() {
        lastLeastEm = MIN_WRAP_EM;
        dirty = true;
        return this;
    }

    static final double MIN_WRAP_EM = 6;

    /**
     * The last column's cells are cut to "…" (and tell their whole text some other way, e.g. on hover) instead of
     * the table scrolling sideways: the column takes what the others leave, when that is at least
     * {@link #MIN_CUT_EM} em (less would show too little of any text; the column then shows its widest).
     */
    public ColumnFit cutLast() {
        lastLeastEm = MIN_CUT_EM;
        dirty = true;
        return this;
    }

    static final double MIN_CUT_EM = 12;

    /** Forgets the widths seen (new content or a new type size): columns may shrink again. */
    public void reset() {
        widest.clear();
        generation++;
        dirty = true;
    }

    private List<? extends TableColumnBase<?, ?>> columns() {
        return table instanceof TableView<?> t ? t.getVisibleLeafColumns()
                : ((TreeTableView<?>) table).getVisibleLeafColumns();
    }

    /** Measures the visible headers and cells and widens what is too narrow. */
    void fit() {
        List<? extends TableColumnBase<?, ?>> cols = columns();
        if (cols.isEmpty()) {
            return;
        }
        for (Node n : table.lookupAll(".column-header")) {
            if (n instanceof TableColumnHeader h && h.getTableColumn() != null && h.lookup(".label") instanceof Label l) {
                grow(h.getTableColumn(), l.prefWidth(-1) + h.snappedLeftInset() + h.snappedRightInset());
            }
        }
        for (Node n : table.lookupAll(".indexed-cell")) {
            if (n instanceof IndexedCell<?> c && c.isVisible() && !c.isEmpty() && c.getText() != null) {
                fontSize = c.getFont().getSize();
                TableColumnBase<?, ?> col = n instanceof TableCell<?, ?> tc ? tc.getTableColumn()
                        : n instanceof TreeTableCell<?, ?> tt ? tt.getTableColumn() : null;
                Measured m = (Measured) c.getProperties().get(Measured.class);
                if (col != null && (m == null || m.generation() != generation || !m.text().equals(c.getText()))) {
                    c.getProperties().put(Measured.class, new Measured(generation, c.getText()));
                    grow(col, textWidth(c));   // only cells whose text changed since they were last measured
                }
            }
        }
        double total = 0;
        for (TableColumnBase<?, ?> c : cols) {
            Double w = widest.get(c);
            double want = w == null ? c.getPrefWidth() : Math.ceil(w + SLACK);
            if (c != cols.get(cols.size() - 1) && Math.abs(c.getPrefWidth() - want) > 0.5) {
                c.setPrefWidth(want);
            }
            total += c != cols.get(cols.size() - 1) ? want : 0;
        }
        TableColumnBase<?, ?> lastCol = cols.get(cols.size() - 1);
        Double lw = widest.get(lastCol);
        double room = table.getWidth() - table.snappedLeftInset() - table.snappedRightInset() - total - scrollBar();
        double widestLast = lw == null ? 40 : Math.ceil(lw + SLACK);
        // a wrapping column narrower than a few words would stack them in a tower, a cut one would show next to
        // nothing: it scrolls sideways instead
        double want = lastLeastEm > 0 && room >= lastLeastEm * fontSize ? Math.floor(room)
                : Math.max(widestLast, Math.floor(room));
        if (Math.abs(lastCol.getPrefWidth() - want) > 0.5) {
            lastCol.setPrefWidth(want);
        }
    }

    /** What a cell needs to show its whole text (a cell's own pref width is its column's width). */
    private double textWidth(IndexedCell<?> c) {
        measure.setText(c.getText());
        measure.setFont(c.getFont());
        double full = measure.getLayoutBounds().getWidth();
        if (c.getContentDisplay() == javafx.scene.control.ContentDisplay.GRAPHIC_ONLY) {
            // the text drawn as a graphic: alone (it wraps), or beside other parts (a swatch) that add their width
            double drawn = c.getGraphic() instanceof javafx.scene.text.Text || c.getGraphic() == null ? full
                    : c.getGraphic().prefWidth(-1);
            return drawn + c.snappedLeftInset() + c.snappedRightInset();
        }
        if (c.getAlignment().getHpos() == javafx.geometry.HPos.LEFT) {
            for (Node n : c.getChildrenUnmodifiable()) {   // the drawn text starts after indent, disclosure arrow, graphic
                if (n instanceof javafx.scene.text.Text t && n.isVisible()) {
                    return t.getLayoutX() + full + c.snappedRightInset();
                }
            }
        }
        double w = full + c.snappedLeftInset() + c.snappedRightInset();
        if (c.getGraphic() != null && c.getContentDisplay() != javafx.scene.control.ContentDisplay.TEXT_ONLY) {
            w += c.getGraphic().prefWidth(-1) + c.getGraphicTextGap();
        }
        return w;
    }

    private void grow(TableColumnBase<?, ?> c, double w) {
        widest.merge(c, w, Math::max);
    }

    /** The width of the vertical scroll bar when it shows. */
    private double scrollBar() {
        for (Node n : table.lookupAll(".scroll-bar")) {
            if (n instanceof javafx.scene.control.ScrollBar b && b.isVisible()
                    && b.getOrientation() == javafx.geometry.Orientation.VERTICAL && b.getParent() instanceof Parent) {
                return b.getWidth();
            }
        }
        return 0;
    }
}
