package dev.vmscope.app.ui.registers;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The register pane (FXML controller for {@code registers.fxml}): a table of decoded registers for the
 * selected exit, changed values marked, hex/decimal toggle, copy value (context menu or Ctrl+C). While a
 * walkthrough step is shown, the registers its text names come first, under "This step", so a small
 * pane still shows what the lecturer talks about; a long meaning wraps rather than running off the pane.
 */
public final class RegistersView {
    @FXML private VBox root;
    @FXML private Label title;
    @FXML private ToggleButton hexButton;
    @FXML private ToggleButton decButton;
    @FXML private TableView<RegisterRow> table;
    @FXML private TableColumn<RegisterRow, String> nameColumn;
    @FXML private TableColumn<RegisterRow, String> valueColumn;
    @FXML private TableColumn<RegisterRow, String> decodedColumn;

    private RegistersViewModel vm;
    /** What the table shows: the step's registers, then the model's rows. */
    private final javafx.collections.ObservableList<RegisterRow> shown = javafx.collections.FXCollections
            .observableArrayList();
    private java.util.List<String> named = java.util.List.of();
    /** How many rows at the top are the step's registers, their header included (0: none). */
    private int spotlight;
    private boolean refreshQueued;

    @FXML
    private void initialize() {
        ToggleGroup radix = new ToggleGroup();
        hexButton.setToggleGroup(radix);
        decButton.setToggleGroup(radix);
        hexButton.setSelected(true);
        radix.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                radix.selectToggle(a);   // one of the two is always on
            }
        });
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("select an exit"));
        nameColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(
                c.getValue().name() + (c.getValue().changed() ? " ●" : "")));
        valueColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().format(vm.hexProperty().get())));
        decodedColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().decoded()));
        decodedColumn.setCellFactory(col -> new WrappingCell());
        // the table keeps its rows' heights: measure them again when the wrapping column's width settles
        decodedColumn.widthProperty().addListener((o, a, b) -> {
            if (!refreshQueued) {
                refreshQueued = true;
                javafx.application.Platform.runLater(() -> {
                    refreshQueued = false;
                    table.refresh();
                });
            }
        });
        for (TableColumn<RegisterRow, ?> c : table.getColumns()) {
            c.setSortable(false);
        }
        table.setRowFactory(t -> new RegisterTableRow());
        MenuItem copy = new MenuItem("Copy value");
        copy.setAccelerator(KeyCombination.keyCombination("Shortcut+C"));
        copy.setOnAction(e -> copySelected());
        MenuItem copyLine = new MenuItem("Copy line");
        copyLine.setOnAction(e -> {
            RegisterRow r = table.getSelectionModel().getSelectedItem();
            if (r != null) {
                put(r.name() + " " + r.format(vm.hexProperty().get()) + " " + r.decoded());
            }
        });
        table.setContextMenu(new ContextMenu(copy, copyLine));
        table.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() && e.getCode() == KeyCode.C) {
                copySelected();
                e.consume();
            }
        });
    }

    public void bind(RegistersViewModel model) {
        vm = model;
        table.setItems(shown);
        vm.rows().addListener((javafx.collections.ListChangeListener<RegisterRow>) c -> refill());
        refill();
        title.textProperty().bind(vm.titleProperty());
        hexButton.selectedProperty().bindBidirectional(vm.hexProperty());
        vm.hexProperty().addListener(o -> table.refresh());
    }

    /** The walkthrough step on screen (its text; null: none): the registers it names come first. */
    public void spotlight(String stepText) {
        named = StepRegisters.in(stepText);
        refill();
    }

    private void refill() {
        java.util.List<RegisterRow> out = new java.util.ArrayList<>();
        if (!vm.rows().isEmpty()) {
            for (String n : named) {
                RegisterRow r = vm.row(n);
                if (r != null) {
                    if (out.isEmpty()) {
                        out.add(RegisterRow.header(NAMED));
                    }
                    out.add(r);
                }
            }
        }
        spotlight = out.size();
        out.addAll(vm.rows());
        shown.setAll(out);
        if (spotlight > 0) {
            table.scrollTo(0);   // the step's registers, whatever the user scrolled to before
        }
    }

    /** The group of the registers a walkthrough step names. */
    public static final String NAMED = "This step";

    /** Copies the selected register's value as shown; returns it (null if nothing is selected). */
    public String copySelected() {
        RegisterRow r = table.getSelectionModel().getSelectedItem();
        if (r == null || r.header()) {
            return null;
        }
        String v = r.format(vm.hexProperty().get());
        put(v);
        return v;
    }

    private static void put(String s) {
        ClipboardContent c = new ClipboardContent();
        c.putString(s);
        Clipboard.getSystemClipboard().setContent(c);
    }

    public TableView<RegisterRow> table() {
        return table;
    }

    public Label title() {
        return title;
    }

    public Region root() {
        return root;
    }

    public ToggleButton decButton() {
        return decButton;
    }

    /**
     * A meaning that wraps within its column (a label in a table cell stays one line high and ends in "…"): the
     * text is a graphic whose wrapping width follows the column and whose colour follows the cell's. Under
     * "This step" a meaning keeps to one line, cut, its whole text on hover (and whole in its group below): a
     * segment's meaning wraps over six lines in a lecture's pane, and the step's registers must all show.
     */
    private final class WrappingCell extends javafx.scene.control.TableCell<RegisterRow, String> {
        private final javafx.scene.text.Text text = new javafx.scene.text.Text();

        WrappingCell() {
            text.getStyleClass().add("register-meaning");
            text.fillProperty().bind(textFillProperty());
            text.fontProperty().bind(fontProperty());
            tableColumnProperty().addListener((o, a, c) -> {
                text.wrappingWidthProperty().unbind();
                if (c != null) {
                    text.wrappingWidthProperty().bind(c.widthProperty().subtract(12));
                }
            });
        }

        @Override
        protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            boolean compact = getIndex() > 0 && getIndex() < spotlight;
            text.setText(empty || s == null ? "" : s);
            setText(empty ? null : s);   // drawn when compact; else what the table's column fit measures
            setGraphic(empty || compact ? null : text);
            setContentDisplay(compact ? javafx.scene.control.ContentDisplay.TEXT_ONLY
                    : javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            setTooltip(empty || s == null || s.isEmpty() ? null : new Tooltip(s));
        }
    }

    /** Style classes: group headers, changed values, state not captured (greyed, reason on hover). */
    private static final class RegisterTableRow extends TableRow<RegisterRow> {
        @Override
        protected void updateItem(RegisterRow r, boolean empty) {
            super.updateItem(r, empty);
            getStyleClass().removeAll("register-header", "register-changed", "register-unavailable");
            setTooltip(null);
            if (empty || r == null) {
                return;
            }
            if (r.header()) {
                getStyleClass().add("register-header");
            } else if (!r.available()) {
                getStyleClass().add("register-unavailable");
                setTooltip(new Tooltip(r.note()));
            } else if (r.changed()) {
                getStyleClass().add("register-changed");
            }
        }
    }
}
