package dev.vmscope.app.ui.layout;

import dev.vmscope.app.ui.registers.StepRegisters;
import dev.vmscope.engine.walkthrough.Walkthrough;
import javafx.css.PseudoClass;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TabPane;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The presenter theme's arrangement for a talk: type sized to the window (a fixed share of its height, so it is
 * the same size on the wall whatever the projector's resolution), and the panes a walkthrough step talks about
 * shown large while the rest collapse to the strip. The timeline and the exit list span the width (an exit's row
 * is wide: time, reason, RIP, kernel events and its decoded detail) and the registers move down beside "why this
 * exit happened" (at the desk they stand beside the exit list); a step that points at a bottom tab (the memory
 * pane, the console…) gets that tab in the place of "why this exit happened". Leaving the theme gives back the
 * panes, their places and their sizes as the user had them.
 */
public final class PresenterLayout {
    /** Type size in the presenter theme: the window's height over this, within {@link #MIN_PX}..{@link #MAX_PX}. */
    static final double HEIGHT_PER_PX = 46;
    static final int MIN_PX = 15;
    static final int MAX_PX = 28;
    /** What the presenter theme hides unless a step names it. */
    static final Set<PaneLayout.Id> OPTIONAL = EnumSet.of(PaneLayout.Id.SIDEBAR, PaneLayout.Id.VMCS,
            PaneLayout.Id.TABS);
    /**
     * Set on the exit list's pane while a step before the first instruction is shown: presenter.css then holds
     * fewer rows of it whole (the registers get the room), instead of the four it keeps at any other step.
     */
    static final PseudoClass START = PseudoClass.getPseudoClass("walkthrough-start");

    private final PaneLayout panes;
    private final TabPane tabs;
    private final BottomTabs fold;
    private final SplitPane rows;
    private final SplitPane top;
    private final SplitPane details;
    private final List<Node> deskRows;
    private final List<Node> deskTop;
    private final List<Node> deskDetails;
    private boolean on;
    private Set<PaneLayout.Id> userCollapsed = EnumSet.noneOf(PaneLayout.Id.class);
    private Map<Node, Double> userWeights = Map.of();

    /**
     * {@code rows} stacks {@code top} (the sidebar, timeline and exit list, registers) over {@code details} (why,
     * VMCS) and the bottom tabs; all three are splits {@code panes} knows.
     */
    public PresenterLayout(PaneLayout panes, BottomTabs fold, SplitPane rows, SplitPane top, SplitPane details) {
        this.panes = panes;
        this.fold = fold;
        this.tabs = fold.tabs();
        this.rows = rows;
        this.deskRows = panes.children(rows);
        this.top = top;
        this.details = details;
        this.deskTop = panes.children(top);
        this.deskDetails = panes.children(details);
    }

    /** The presenter theme's type size for a window {@code height} pixels high. */
    public static int typeSize(double height) {
        return (int) Math.max(MIN_PX, Math.min(MAX_PX, Math.round(height / HEIGHT_PER_PX)));
    }

    /** Sets the root's type size for the presenter theme (or clears it) as the window's height changes. */
    public static void sizeType(Parent root, boolean presenter, double height) {
        root.setStyle(presenter && height > 0 ? "-fx-font-size: " + typeSize(height) + "px;" : "");
    }

    /** The theme changed: arrange for {@code step} (null before a step), or give the user's panes back. */
    public void setOn(boolean presenter, Walkthrough.Step step) {
        if (presenter == on) {
            if (on) {
                step(step);
            }
            return;
        }
        on = presenter;
        if (presenter) {
            userCollapsed = panes.collapsed();
            userWeights = panes.weights();
            Node registers = panes.node(PaneLayout.Id.REGISTERS);
            List<Node> lectureTop = new ArrayList<>(deskTop);
            lectureTop.remove(registers);
            List<Node> lectureDetails = new ArrayList<>(deskDetails);
            lectureDetails.add(0, registers);
            lectureDetails.add(tabs);
            List<Node> lectureRows = new ArrayList<>(deskRows);
            lectureRows.remove(tabs);
            panes.arrange(rows, lectureRows);
            panes.arrange(top, lectureTop);
            fold.setFolding(false);
            panes.arrange(details, lectureDetails);
            step(step);
        } else {
            panes.arrange(rows, deskRows);
            panes.arrange(top, deskTop);
            panes.arrange(details, deskDetails);
            panes.setWeights(userWeights);
            panes.relayout(userCollapsed);
            fold.setFolding(true);
        }
    }

    /**
     * A walkthrough step is shown (null: none): the panes its text names come forward. Before the first
     * instruction there is no exit to list or explain, so the registers (the state the guest starts in) get the
     * room of the timeline and the exit list.
     */
    public void step(Walkthrough.Step step) {
        if (!on) {
            return;
        }
        String text = step == null ? null : step.text();
        boolean start = step != null && step.kind() == Walkthrough.Kind.START;
        Set<PaneLayout.Id> hide = EnumSet.copyOf(OPTIONAL);
        hide.removeAll(about(text));
        boolean tabsShown = !hide.contains(PaneLayout.Id.TABS);
        if (tabsShown) {
            hide.add(PaneLayout.Id.WHY);
        }
        // each register the text names past the second takes a little of the exit list's room for the registers
        double more = Math.min(0.04, 0.02 * Math.max(0, StepRegisters.in(text).size() - 2));
        panes.setWeight(top, start ? 0.36 : 0.56 - more);
        panes.setWeight(details, start ? 0.64 : 0.44 + more);
        panes.setWeight(PaneLayout.Id.TABS, 0.44);
        for (Node n : panes.children(top)) {   // the sidebar, when a step names it, beside the timeline and exits
            panes.setWeight(n, n == panes.node(PaneLayout.Id.SIDEBAR) ? 0.2 : 0.8);
        }
        panes.setWeight(PaneLayout.Id.TIMELINE, 0.33);
        panes.setWeight(PaneLayout.Id.EXITS, 0.67);
        panes.setWeight(PaneLayout.Id.REGISTERS, 0.58);
        panes.setWeight(PaneLayout.Id.WHY, 0.42);
        panes.setWeight(PaneLayout.Id.VMCS, 0.5);
        panes.node(PaneLayout.Id.EXITS).pseudoClassStateChanged(START, start);
        panes.relayout(hide);
        String tab = tabFor(text);
        if (tab != null) {
            fold.show(tab);
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
    public static String tabFor(String text) {
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
