package dev.vmscope.app.ui.layout;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The presenter theme's arrangement for a talk: type sized to the window (a fixed share of its height, so it is
 * the same size on the wall whatever the projector's resolution), and the panes a walkthrough step talks about
 * shown large while the rest collapse to the strip. Leaving the theme gives back the panes the user had.
 */
public final class PresenterLayout {
    /** Type size in the presenter theme: the window's height over this, within {@link #MIN_PX}..{@link #MAX_PX}. */
    static final double HEIGHT_PER_PX = 46;
    static final int MIN_PX = 15;
    static final int MAX_PX = 28;
    /** What the presenter theme hides unless a step names it. */
    static final Set<PaneLayout.Id> OPTIONAL = EnumSet.of(PaneLayout.Id.SIDEBAR, PaneLayout.Id.VMCS,
            PaneLayout.Id.TABS);

    private final PaneLayout panes;
    private final TabPane tabs;
    private boolean on;
    private Set<PaneLayout.Id> userCollapsed = EnumSet.noneOf(PaneLayout.Id.class);

    public PresenterLayout(PaneLayout panes, TabPane tabs) {
        this.panes = panes;
        this.tabs = tabs;
    }

    /** The presenter theme's type size for a window {@code height} pixels high. */
    public static int typeSize(double height) {
        return (int) Math.max(MIN_PX, Math.min(MAX_PX, Math.round(height / HEIGHT_PER_PX)));
    }

    /** Sets the root's type size for the presenter theme (or clears it) as the window's height changes. */
    public static void sizeType(Parent root, boolean presenter, double height) {
        root.setStyle(presenter && height > 0 ? "-fx-font-size: " + typeSize(height) + "px;" : "");
    }

    /** The theme changed: arrange for {@code stepText} (null before a step), or give the user's panes back. */
    public void setOn(boolean presenter, String stepText) {
        if (presenter == on) {
            if (on) {
                step(stepText);
            }
            return;
        }
        on = presenter;
        if (presenter) {
            userCollapsed = panes.collapsed();
            step(stepText);
        } else {
            panes.setCollapsed(userCollapsed);
        }
    }

    /** A walkthrough step is shown (its text; null: none): the panes it names come forward. */
    public void step(String text) {
        if (!on) {
            return;
        }
        Set<PaneLayout.Id> hide = EnumSet.copyOf(OPTIONAL);
        hide.removeAll(about(text));
        panes.setWeight(PaneLayout.Id.TIMELINE, 0.4);
        panes.setWeight(PaneLayout.Id.EXITS, 0.6);
        panes.setWeight(PaneLayout.Id.WHY, 0.5);
        panes.setWeight(PaneLayout.Id.VMCS, 0.5);
        panes.setCollapsed(hide);
        panes.relayout();
        String tab = tabFor(text);
        if (tab != null) {
            for (Tab t : tabs.getTabs()) {
                if (tab.equals(t.getId())) {
                    tabs.getSelectionModel().select(t);
                }
            }
        }
    }

    /** The optional panes a step's text talks about. */
    static Set<PaneLayout.Id> about(String text) {
        Set<PaneLayout.Id> out = EnumSet.noneOf(PaneLayout.Id.class);
        if (text == null) {
            return out;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("vmcs")) {
            out.add(PaneLayout.Id.VMCS);
        }
        if (tabFor(text) != null) {
            out.add(PaneLayout.Id.TABS);
        }
        if (t.contains("breakpoints pane") || t.contains("samples list")) {
            out.add(PaneLayout.Id.SIDEBAR);
        }
        return out;
    }

    /** The bottom tab a step's text names, by its id, or null. */
    static String tabFor(String text) {
        if (text == null) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT);
        if (t.contains("memory pane") || t.contains("memory tab")) {
            return "memory-tab";
        }
        if (t.contains("disassembly")) {
            return "disassembly-tab";
        }
        if (t.contains("statistics")) {
            return "statistics-tab";
        }
        if (t.contains("console")) {
            return "console-tab";
        }
        return null;
    }

    /** For tests: whether {@code n} shows (it and every ancestor are in the scene and visible). */
    public static boolean shows(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return n.getScene() != null;
    }
}
