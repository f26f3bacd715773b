package dev.vmscope.app.ui.vmcs;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.control.TreeItem;
import javafx.scene.control.TreeTableCell;
import javafx.scene.control.TreeTableColumn;
import javafx.scene.control.TreeTableRow;
import javafx.scene.control.TreeTableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The VMCS inspector (FXML controller for {@code vmcs.fxml}): a tree table of the selected exit's fields by
 * area over {@link VmcsViewModel}. Moving to another exit updates the rows in place, so scroll position,
 * expanded areas and the selected field stay; the detail line under the table tells everything about the
 * selected field. Ctrl+F inside the pane focuses the search (the window's Find asks {@link #containsFocus}),
 * Escape there clears it.
 */
public final class VmcsView {
    /** One line of the tree: an area ({@code group}) or a field ({@code row}). */
    public record Item(FieldGroup group, FieldRow row) {
        public boolean isGroup() {
            return group != null;
        }

        String key() {
            return group != null ? "group:" + group.key() : row.name();
        }
    }

    @FXML private VBox root;
    @FXML private Label title;
    @FXML private javafx.scene.layout.HBox titleRow;
    @FXML private javafx.scene.layout.FlowPane controls;
    @FXML private Label counts;
    @FXML private TextField search;
    @FXML private ToggleButton changedOnly;
    @FXML private ToggleButton vmcsButton;
    @FXML private ToggleButton vmcbButton;
    @FXML private Label note;
    @FXML private TreeTableView<Item> tree;
    @FXML private TreeTableColumn<Item, String> nameColumn;
    @FXML private TreeTableColumn<Item, String> encodingColumn;
    @FXML private TreeTableColumn<Item, String> widthColumn;
    @FXML private TreeTableColumn<Item, String> valueColumn;
    @FXML private TreeTableColumn<Item, String> decodedColumn;
    @FXML private TreeTableColumn<Item, String> provenanceColumn;
    @FXML private Label detail;

    private VmcsViewModel vm;
    private final Label placeholder = new Label("select an exit");
    /** Areas the user opened or closed, by group key; areas not in here use their default. */
    private final Map<String, Boolean> expanded = new HashMap<>();
    private boolean rebuilding;

    @FXML
    private void initialize() {
        tree.setRoot(new TreeItem<>());
        tree.setColumnResizePolicy(TreeTableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        placeholder.getStyleClass().add("muted");
        placeholder.setWrapText(true);
        tree.setPlaceholder(placeholder);
        text(nameColumn, i -> i.isGroup() ? i.group().title() : i.row().name() + (i.row().changed() ? " ●" : ""));
        text(encodingColumn, i -> i.isGroup() ? "" : i.row().location());
        text(widthColumn, i -> i.isGroup() ? "" : i.row().width());
        text(valueColumn, i -> i.isGroup() ? "" : i.row().value());
        text(decodedColumn, i -> i.isGroup() ? i.group().summary() : i.row().hasValue() ? i.row().decoded()
                : i.row().note());      // no value: why not, in place of a meaning
        text(provenanceColumn, i -> i.isGroup() ? "" : i.row().provenanceText());
        for (TreeTableColumn<Item, ?> c : tree.getColumns()) {
            c.setSortable(false);      // SDM order within each area
        }
        tree.setRowFactory(t -> new FieldTableRow());
        tree.getSelectionModel().selectedItemProperty().addListener((o, a, b) -> showDetail());
        search.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && !search.getText().isEmpty()) {
                search.clear();
                e.consume();
            } else if (e.getCode() == KeyCode.DOWN || e.getCode() == KeyCode.ENTER) {
                tree.requestFocus();
                if (tree.getSelectionModel().isEmpty()) {
                    selectFirstField();
                }
                e.consume();
            }
        });
        ToggleGroup layouts = new ToggleGroup();
        vmcsButton.setToggleGroup(layouts);
        vmcbButton.setToggleGroup(layouts);
        vmcsButton.setSelected(true);
        layouts.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                layouts.selectToggle(a);      // one layout is always on
            } else if (vm != null) {
                vm.layoutProperty().set(b == vmcbButton ? VmcsViewModel.Layout.VMCB : VmcsViewModel.Layout.VMCS);
            }
        });
        tip(changedOnly, "Show only the fields that differ from this vCPU's previous exit (● marks them anyway)");
        tip(vmcsButton, "The exit as Intel's VMCS: what VMREAD would return on an Intel host");
        tip(vmcbButton, "The same exit as AMD's VMCB: control area and state-save area");
        tip(search, "Find fields by name (qualif, GUEST_RIP) or encoding (0x6400, 681e) · Ctrl+F · Esc clears");
    }

    public void bind(VmcsViewModel model) {
        vm = model;
        title.textProperty().bind(vm.titleProperty());
        counts.textProperty().bind(vm.countsProperty());
        note.textProperty().bind(javafx.beans.binding.Bindings.when(vm.noteProperty().isEmpty()).then("")
                .otherwise(javafx.beans.binding.Bindings.concat(" · ", vm.noteProperty())));
        placeholder.textProperty().bind(vm.placeholderProperty());
        search.textProperty().bindBidirectional(vm.searchProperty());
        changedOnly.selectedProperty().bindBidirectional(vm.changedOnlyProperty());
        vm.layoutProperty().addListener((o, a, b) -> (b == VmcsViewModel.Layout.VMCB ? vmcbButton : vmcsButton)
                .setSelected(true));
        vm.groupsProperty().addListener((o, a, b) -> show(b));
        show(vm.groups());
    }

    /**
     * Compact (for large type): only field, value, provenance and meaning, no detail line (so the rows keep
     * the height; encoding, width and the rest stay in each row's tooltip), the title on a line of its own.
     */
    public void setCompact(boolean compact) {
        encodingColumn.setVisible(!compact);
        widthColumn.setVisible(!compact);
        detail.setVisible(!compact);
        detail.setManaged(!compact);
        // large type: the title gets a line of its own (a flow pane would not shorten it, only clip it)
        if (compact && title.getParent() == controls) {
            controls.getChildren().remove(title);
            titleRow.getChildren().setAll(title);
        } else if (!compact && title.getParent() == titleRow) {
            titleRow.getChildren().clear();
            controls.getChildren().add(0, title);
        }
        titleRow.setVisible(compact);
        titleRow.setManaged(compact);
    }

    /** True when the keyboard focus is in this pane (the window's Ctrl+F then finds fields here). */
    public boolean containsFocus() {
        javafx.scene.Node n = root.getScene() == null ? null : root.getScene().getFocusOwner();
        for (; n != null; n = n.getParent()) {
            if (n == root) {
                return true;
            }
        }
        return false;
    }

    /** Puts the caret in the search box with its text selected. */
    public void focusSearch() {
        search.requestFocus();
        search.selectAll();
    }

    private void selectFirstField() {
        for (int i = 0; i < tree.getExpandedItemCount(); i++) {
            TreeItem<Item> t = tree.getTreeItem(i);
            if (t != null && !t.getValue().isGroup()) {
                tree.getSelectionModel().select(i);
                return;
            }
        }
    }

    /**
     * Shows {@code groups}: when the areas and their fields are the ones already shown (moving between exits),
     * only the values change, in place; otherwise the tree is rebuilt, keeping expanded areas and the
     * selected field.
     */
    private void show(List<FieldGroup> groups) {
        TreeItem<Item> rootItem = tree.getRoot();
        if (sameShape(rootItem, groups)) {
            for (int g = 0; g < groups.size(); g++) {
                TreeItem<Item> gi = rootItem.getChildren().get(g);
                FieldGroup fg = groups.get(g);
                gi.setValue(new Item(fg, null));
                for (int r = 0; r < fg.rows().size(); r++) {
                    gi.getChildren().get(r).setValue(new Item(null, fg.rows().get(r)));
                }
            }
            showDetail();
            return;
        }
        TreeItem<Item> selected = tree.getSelectionModel().getSelectedItem();
        String selectedKey = selected == null || selected.getValue() == null ? null : selected.getValue().key();
        boolean filtering = !vm.searchProperty().get().isBlank() || vm.changedOnlyProperty().get();
        rebuilding = true;
        try {
            TreeItem<Item> newRoot = new TreeItem<>();
            TreeItem<Item> reselect = null;
            for (FieldGroup g : groups) {
                TreeItem<Item> gi = new TreeItem<>(new Item(g, null));
                for (FieldRow r : g.rows()) {
                    TreeItem<Item> ri = new TreeItem<>(new Item(null, r));
                    gi.getChildren().add(ri);
                    if (r.name().equals(selectedKey)) {
                        reselect = ri;
                    }
                }
                gi.setExpanded(filtering || expanded.getOrDefault(g.key(), defaultExpanded(g)));
                gi.expandedProperty().addListener((o, a, b) -> {
                    if (!rebuilding && !filtering) {
                        expanded.put(g.key(), b);
                    }
                });
                newRoot.getChildren().add(gi);
            }
            newRoot.setExpanded(true);
            tree.setRoot(newRoot);
            if (reselect != null) {
                tree.getSelectionModel().select(reselect);
                int index = tree.getRow(reselect);
                if (index >= 0) {
                    tree.scrollTo(Math.max(0, index - 3));
                }
            }
        } finally {
            rebuilding = false;
        }
        showDetail();
    }

    /** Exit information and guest state open; controls and host state (mostly not visible) closed. */
    private static boolean defaultExpanded(FieldGroup g) {
        return g.key().equals("EXIT_INFO") || g.key().equals("GUEST") || g.key().equals("VMCB_CONTROL")
                || g.key().equals("VMCB_SAVE");
    }

    private static boolean sameShape(TreeItem<Item> rootItem, List<FieldGroup> groups) {
        if (rootItem == null || rootItem.getChildren().size() != groups.size() || groups.isEmpty()) {
            return false;
        }
        for (int g = 0; g < groups.size(); g++) {
            TreeItem<Item> gi = rootItem.getChildren().get(g);
            FieldGroup fg = groups.get(g);
            if (gi.getValue() == null || !gi.getValue().isGroup() || !gi.getValue().group().key().equals(fg.key())
                    || gi.getChildren().size() != fg.rows().size()) {
                return false;
            }
            for (int r = 0; r < fg.rows().size(); r++) {
                if (!gi.getChildren().get(r).getValue().row().name().equals(fg.rows().get(r).name())) {
                    return false;
                }
            }
        }
        return true;
    }

    private void showDetail() {
        TreeItem<Item> t = tree.getSelectionModel().getSelectedItem();
        Item i = t == null ? null : t.getValue();
        if (i == null) {
            detail.setText("Select a field for its description, source and bits.");
            return;
        }
        if (i.isGroup()) {
            detail.setText(i.group().title() + ": " + i.group().summary());
            return;
        }
        detail.setText(describeShort(i.row()));
    }

    /** One field in at most three lines, for the detail line under the table (the tooltip has it all). */
    static String describeShort(FieldRow r) {
        StringBuilder b = new StringBuilder();
        b.append(r.name()).append("  ").append(r.location()).append("  ").append(r.width()).append(" — ")
                .append(r.description());
        if (r.hasValue()) {
            b.append("\n").append(r.value()).append(" · ").append(r.provenanceText()).append(": ").append(r.note());
            if (r.changed()) {
                b.append(" · ● was ").append(r.before() == null ? "—" : r.before());
            }
            if (!r.bitsLine().isEmpty()) {
                b.append("\n").append(r.bitsLine());
            }
        } else {
            b.append("\nno value: ").append(r.provenanceText()).append(" — ").append(r.note());
        }
        return b.toString();
    }

    /** Everything about one field, for the detail line and the row's tooltip. */
    static String describe(FieldRow r) {
        StringBuilder b = new StringBuilder();
        b.append(r.name()).append("  ").append(r.location()).append("  ").append(r.width()).append(" — ")
                .append(r.description());
        if (r.hasValue()) {
            b.append("\nvalue ").append(r.value()).append(" · ").append(r.provenanceText()).append(": ").append(r.note());
            if (r.partlyUnknown()) {
                b.append("\n? marks bits vmscope could not determine");
            }
            if (r.changed()) {
                b.append("\n● changed: was ").append(r.before() == null ? "—" : r.before())
                        .append(" at this vCPU's previous exit");
            }
            if (!r.decodedDetail().isEmpty()) {
                b.append('\n').append(r.decodedDetail());
            }
        } else {
            b.append("\nno value: ").append(r.provenanceText()).append(" — ").append(r.note());
            if (r.changed()) {
                b.append("\n● changed: had the value ").append(r.before()).append(" at this vCPU's previous exit");
            }
        }
        return b.toString();
    }

    private static void text(TreeTableColumn<Item, String> c, Function<Item, String> f) {
        c.setCellValueFactory(p -> new ReadOnlyStringWrapper(p.getValue().getValue() == null ? ""
                : f.apply(p.getValue().getValue())));
        c.setCellFactory(col -> new TreeTableCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty ? null : s);
            }
        });
    }

    private static void tip(javafx.scene.control.Control c, String text) {
        Tooltip t = new Tooltip(text);
        t.setShowDuration(Duration.seconds(10));
        c.setTooltip(t);
    }

    public TreeTableView<Item> tree() {
        return tree;
    }

    public TextField search() {
        return search;
    }

    public ToggleButton changedOnlyButton() {
        return changedOnly;
    }

    public ToggleButton vmcbButton() {
        return vmcbButton;
    }

    public ToggleButton vmcsButton() {
        return vmcsButton;
    }

    public Label title() {
        return title;
    }

    public Label detail() {
        return detail;
    }

    public VBox root() {
        return root;
    }

    public VmcsViewModel viewModel() {
        return vm;
    }

    /** Style classes per line: area header, changed field, field without a value (greyed, reason on hover). */
    static final class FieldTableRow extends TreeTableRow<Item> {
        private static final List<String> CLASSES = List.of("vmcs-group", "vmcs-changed", "vmcs-unavailable",
                "vmcs-unknown-bits");

        @Override
        protected void updateItem(Item item, boolean empty) {
            super.updateItem(item, empty);
            getStyleClass().removeAll(CLASSES);
            if (empty || item == null) {
                setTooltip(null);
                return;
            }
            if (item.isGroup()) {
                getStyleClass().add("vmcs-group");
                setTooltip(null);
                return;
            }
            FieldRow r = item.row();
            if (!r.hasValue()) {
                getStyleClass().add("vmcs-unavailable");
            } else if (r.partlyUnknown()) {
                getStyleClass().add("vmcs-unknown-bits");
            }
            if (r.changed()) {
                getStyleClass().add("vmcs-changed");
            }
            Tooltip t = getTooltip();
            String text = r.hasValue() ? describe(r) : r.provenanceText() + ": " + r.note();
            if (t == null) {
                t = new Tooltip(text);
                t.setShowDuration(Duration.seconds(20));
                t.setWrapText(true);
                t.setMaxWidth(720);
                t.setStyle("-fx-font-family: 'DejaVu Sans Mono', 'Monospaced';");   // the bit list lines up
                setTooltip(t);
            } else {
                t.setText(text);
            }
        }
    }
}
