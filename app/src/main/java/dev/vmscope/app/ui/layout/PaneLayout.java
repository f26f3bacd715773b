package dev.vmscope.app.ui.layout;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which of the window's panes show: any pane can be collapsed to a button on the strip above the status bar,
 * maximised (every other pane collapsed) and restored. The panes sit in nested split panes; a split whose panes
 * are all collapsed goes too, and a pane that comes back takes its old share of its split. FX thread.
 */
public final class PaneLayout {
    /** The window's panes, in the order the strip lists them. */
    public enum Id {
        SIDEBAR("Breakpoints · Samples"), TIMELINE("Timeline"), EXITS("Exits"), REGISTERS("Registers"),
        WHY("Why this exit"), VMCS("VMCS"), TABS("Console · Disassembly · Memory · Statistics");

        private final String label;

        Id(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A split and what may sit in it (panes or inner splits), in their order. */
    private record Split(SplitPane pane, List<Node> children) {
    }

    private final Map<Id, Node> panes = new LinkedHashMap<>();
    private final List<Split> splits = new ArrayList<>();
    /** Each child's share of its split, kept while it is collapsed. */
    private final Map<Node, Double> weight = new HashMap<>();
    private final Set<Id> collapsed = EnumSet.noneOf(Id.class);
    private Set<Id> beforeMaximise;
    private final Pane strip;

    /** {@code strip} gets one button per collapsed pane (and hides when there is none). */
    public PaneLayout(Pane strip) {
        this.strip = strip;
        strip.visibleProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(strip.getChildren()));
        strip.managedProperty().bind(strip.visibleProperty());
    }

    /** Declares {@code split} with its items as they are now (call for inner splits first or last, any order). */
    public void split(SplitPane split) {
        Split s = new Split(split, List.copyOf(split.getItems()));
        splits.add(s);
        remember(s);
    }

    /**
     * Gives a declared split other children: another arrangement of the same panes (a pane moves from one split
     * to another). Takes effect at the next {@link #relayout}.
     */
    public void arrange(SplitPane split, List<Node> children) {
        for (int i = 0; i < splits.size(); i++) {
            if (splits.get(i).pane() == split) {
                remember(splits.get(i));
                splits.set(i, new Split(split, List.copyOf(children)));
            }
        }
    }

    /** The children {@code split} holds in the current arrangement. */
    public List<Node> children(SplitPane split) {
        return splits.stream().filter(s -> s.pane() == split).findFirst().map(Split::children).orElse(List.of());
    }

    /** The node of a pane. */
    public Node node(Id id) {
        return panes.get(id);
    }

    /** Names a pane (an item of a declared split). */
    public void pane(Id id, Node node) {
        panes.put(id, node);
    }

    public Set<Id> collapsed() {
        return EnumSet.copyOf(collapsed.isEmpty() ? EnumSet.noneOf(Id.class) : collapsed);
    }

    public boolean isMaximised() {
        return beforeMaximise != null;
    }

    /** Shows exactly the panes not in {@code hide}. */
    public void setCollapsed(Set<Id> hide) {
        collapsed.clear();
        collapsed.addAll(hide);
        beforeMaximise = null;
        apply();
    }

    public void collapse(Id id) {
        collapsed.add(id);
        apply();
    }

    public void restore(Id id) {
        collapsed.remove(id);
        apply();
    }

    /** Every pane back. */
    public void restoreAll() {
        setCollapsed(EnumSet.noneOf(Id.class));
    }

    /** Only {@code id} shows; again (or {@link #unmaximise}) brings the others back as they were. */
    public void maximise(Id id) {
        if (beforeMaximise != null) {
            unmaximise();
            return;
        }
        Set<Id> before = collapsed();
        collapsed.clear();
        for (Id other : Id.values()) {
            if (other != id) {
                collapsed.add(other);
            }
        }
        apply();
        beforeMaximise = before;
    }

    public void unmaximise() {
        if (beforeMaximise != null) {
            setCollapsed(beforeMaximise);
        }
    }

    /** The pane holding {@code n} (e.g. the focus owner), or null. */
    public Id paneOf(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            for (Map.Entry<Id, Node> e : panes.entrySet()) {
                if (e.getValue() == p) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** Sets a pane's (or an inner split's) share of its split, for a layout chosen in code. */
    public void setWeight(Node child, double w) {
        weight.put(child, w);
    }

    public void setWeight(Id id, double w) {
        setWeight(panes.get(id), w);
    }

    /** Every pane's and inner split's share as shown now (to give back later with {@link #setWeights}). */
    public Map<Node, Double> weights() {
        for (Split s : splits) {
            remember(s);
        }
        return Map.copyOf(weight);
    }

    /** Sets the shares {@link #weights} returned; takes effect at the next {@link #relayout}. */
    public void setWeights(Map<Node, Double> w) {
        weight.putAll(w);
    }

    /**
     * Shows exactly the panes not in {@code hide}, every split laid out anew with the shares set by
     * {@link #setWeight}/{@link #setWeights} (not the ones on screen now) and the children {@link #arrange} gave it.
     */
    public void relayout(Set<Id> hide) {
        collapsed.clear();
        collapsed.addAll(hide);
        beforeMaximise = null;
        for (Split s : splits) {
            s.pane().getItems().clear();
        }
        apply();
    }

    private boolean showing(Node child) {
        for (Map.Entry<Id, Node> e : panes.entrySet()) {
            if (e.getValue() == child) {
                return !collapsed.contains(e.getKey());
            }
        }
        for (Split s : splits) {
            if (s.pane() == child) {
                return s.children().stream().anyMatch(this::showing);
            }
        }
        return true;
    }

    private void apply() {
        for (Split s : splits) {
            List<Node> want = s.children().stream().filter(this::showing).toList();
            if (!want.equals(s.pane().getItems())) {
                remember(s);
                s.pane().getItems().setAll(want);
                double total = want.stream().mapToDouble(n -> weight.getOrDefault(n, 1.0 / s.children().size())).sum();
                double at = 0;
                for (int i = 0; i < want.size() - 1; i++) {
                    at += weight.getOrDefault(want.get(i), 1.0 / s.children().size()) / total;
                    s.pane().setDividerPosition(i, at);
                }
            }
        }
        strip.getChildren().clear();
        for (Id id : collapsed) {
            if (!panes.containsKey(id)) {
                continue;
            }
            Button b = new Button("▸ " + id.label());
            b.getStyleClass().add("collapsed-pane");
            b.setId("restore-" + id.name().toLowerCase(java.util.Locale.ROOT));
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setFocusTraversable(false);
            b.setTooltip(new Tooltip("Show the " + id.label() + " pane again (Ctrl+Shift+R shows every pane)"));
            b.setOnAction(e -> restore(id));
            strip.getChildren().add(b);
        }
    }

    /** Keeps the shares of what a split shows now, before it changes. */
    private void remember(Split s) {
        List<Node> items = s.pane().getItems();
        if (items.size() < 2) {
            return;
        }
        double[] d = s.pane().getDividerPositions();
        double prev = 0;
        for (int i = 0; i < items.size(); i++) {
            double end = i < d.length ? d[i] : 1;
            weight.put(items.get(i), Math.max(0.02, end - prev));
            prev = end;
        }
    }
}
