package dev.vmscope.app.ui.layout;

import javafx.scene.Node;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;
import javafx.scene.input.MouseEvent;

/**
 * The bottom tabs (console, disassembly, memory, statistics) at the desk: they compete with the VMCS table above
 * them for the same few hundred pixels, so they start folded to their row of tab headers (the VMCS table gets
 * the room) and open to a usable height ({@link #OPEN_EM} lines of type: a dozen lines of disassembly, a chart
 * with its axes) when a tab header is clicked or a tab is selected in code; clicking the open tab's header folds
 * them again. Where they open they take the room from the row above them; dragging the divider still works. The
 * presenter arrangement turns folding off (the tabs then sit beside the registers). FX thread.
 */
public final class BottomTabs {
    /** How tall the tabs open, in em of their type (header included). */
    static final double OPEN_EM = 24;

    private final TabPane tabs;
    private final SplitPane split;
    private boolean open;
    private boolean folding = true;

    private BottomTabs(TabPane tabs, SplitPane split) {
        this.tabs = tabs;
        this.split = split;
    }

    /** Folds {@code tabs}, the last item of the vertical {@code split}, and opens them on a click on a tab header. */
    public static BottomTabs install(TabPane tabs, SplitPane split) {
        BottomTabs b = new BottomTabs(tabs, split);
        tabs.setMinHeight(0);
        tabs.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {   // before the header selects its tab
            if (b.folding && e.getTarget() instanceof Node n && onHeader(n)) {
                boolean again = tabOf(n) == tabs.getSelectionModel().getSelectedItem();
                b.setOpen(!b.open || !again);
            }
        });
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (b.folding && !b.open && t != null) {   // a tab chosen by a click, a key or a command opens them
                b.setOpen(true);
            }
        });
        tabs.heightProperty().addListener((o, a, h) -> b.clamp());
        split.heightProperty().addListener((o, a, h) -> b.apply());   // the first layout, a new window size
        b.apply();
        return b;
    }

    public TabPane tabs() {
        return tabs;
    }

    public boolean isOpen() {
        return open;
    }

    /** Opens (or folds) the tabs; opening gives them at least {@link #OPEN_EM} em of the split's height. */
    public void setOpen(boolean o) {
        open = o;
        apply();
    }

    /** Selects the tab {@code id} and opens the tabs (a step or a command points at it). */
    public void show(String id) {
        tabs.getTabs().stream().filter(t -> id.equals(t.getId())).findFirst()
                .ifPresent(t -> tabs.getSelectionModel().select(t));
        setOpen(true);
    }

    /** Whether the tabs fold at all: off in the presenter arrangement, where they stand in a row of their own. */
    public void setFolding(boolean f) {
        folding = f;
        apply();
    }

    /** The height the tabs take folded: their header row. */
    public double foldedHeight() {
        Node header = tabs.lookup(".tab-header-area");
        double h = header != null && header.getLayoutBounds().getHeight() > 0 ? header.getLayoutBounds().getHeight()
                : 2.4 * em();
        return Math.ceil(h + tabs.snappedTopInset() + tabs.snappedBottomInset());
    }

    /** The height the tabs open to. */
    public double openHeight() {
        return Math.ceil(OPEN_EM * em());
    }

    /** The type size the tabs show their labels in. */
    private double em() {
        Node label = tabs.lookup(".tab-label");
        return label instanceof javafx.scene.control.Labeled l ? l.getFont().getSize()
                : javafx.scene.text.Font.getDefault().getSize();
    }

    private void apply() {
        if (!folding) {
            tabs.setMaxHeight(Double.MAX_VALUE);
            return;
        }
        tabs.setMaxHeight(open ? Double.MAX_VALUE : foldedHeight());
        double total = split.getHeight();
        int last = split.getItems().indexOf(tabs) - 1;
        if (total <= 0 || last < 0) {
            return;
        }
        double want = open ? Math.max(openHeight(), total * (1 - split.getDividerPositions()[last]))
                : foldedHeight();
        split.setDividerPosition(last, Math.max(0.05, 1 - Math.min(want, total * 0.7) / total));
    }

    /** The header row may have grown (type size, first layout): keep the folded tabs at its height. */
    private void clamp() {
        if (folding && !open && Math.abs(tabs.getMaxHeight() - foldedHeight()) > 0.5) {
            apply();
        }
    }

    private static boolean onHeader(Node n) {
        for (Node p = n; p != null && !(p instanceof TabPane); p = p.getParent()) {
            if (p.getStyleClass().contains("tab-header-area")) {
                return true;
            }
        }
        return false;
    }

    private static javafx.scene.control.Tab tabOf(Node n) {
        for (Node p = n; p != null && !(p instanceof TabPane); p = p.getParent()) {
            if (p.getStyleClass().contains("tab") && p.getProperties().get(javafx.scene.control.Tab.class)
                    instanceof javafx.scene.control.Tab t) {
                return t;
            }
        }
        return null;
    }
}
