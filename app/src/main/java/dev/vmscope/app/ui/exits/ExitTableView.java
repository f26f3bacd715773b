package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.FrameUpdater;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.kernel.KernelEventsWindow;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.skin.TableViewSkin;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The exit list (FXML controller for {@code exit-table.fxml}): a virtualised table over
 * {@link ExitTableViewModel}, a filter bar (reasons, vCPU, text) and two-way sync with the shared selection.
 */
public final class ExitTableView {
    @FXML private VBox root;
    @FXML private CheckComboBox<Integer> reasonFilter;
    @FXML private ComboBox<Integer> vcpuFilter;
    @FXML private TextField textFilter;
    @FXML private Label countLabel;
    @FXML private TableView<ExitRow> table;
    @FXML private TableColumn<ExitRow, Long> seqColumn;
    @FXML private TableColumn<ExitRow, String> timeColumn;
    @FXML private TableColumn<ExitRow, Integer> vcpuColumn;
    @FXML private TableColumn<ExitRow, Long> kernelColumn;
    @FXML private TableColumn<ExitRow, Integer> reasonColumn;
    @FXML private TableColumn<ExitRow, String> detailColumn;
    @FXML private TableColumn<ExitRow, String> ripColumn;
    @FXML private ScrollBar overview;

    private ExitTableViewModel vm;
    private FrameUpdater.Slot refresh;
    private boolean syncing;
    /** A background pass is indexing the source's reasons and vCPUs; {@link #indexedUpTo}: how far the last got. */
    private boolean indexing;
    private long indexedUpTo;
    /** Set while the overview bar is moved to follow the table (not the user dragging it). */
    private boolean following;
    /** Kernel events arrived since the kernel column was last redrawn (it is redrawn a few times a second). */
    private boolean kernelStale;
    private long kernelDrawn;

    @FXML
    private void initialize() {
        table.getSelectionModel().setSelectionMode(SelectionMode.SINGLE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("no exits"));
        seqColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().seq()));
        timeColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().time()));
        vcpuColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().vcpu()));
        reasonColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().reasonCode()));
        reasonColumn.setCellFactory(col -> new ReasonCell());
        kernelColumn.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().kernelEvents()));
        kernelColumn.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Long n, boolean empty) {
                super.updateItem(n, empty);
                setText(empty || n == null || n < 0 ? null : String.format("%,d", n));
            }
        });
        table.setRowFactory(t -> {
            TableRow<ExitRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty() && kernelColumn.isVisible()) {
                    showKernelEvents(row.getItem().seq());
                }
            });
            return row;
        });
        detailColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().detail()));
        detailColumn.setCellFactory(c -> new DetailCell());
        ripColumn.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().rip()));
        table.addEventFilter(KeyEvent.KEY_PRESSED, this::moveKey);
        for (TableColumn<ExitRow, ?> c : table.getColumns()) {
            c.setSortable(false);   // seq order is the only order a million-row list can afford
        }
        reasonFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer code) {
                return code == null ? "" : ReasonPalette.name(code);
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
        vcpuFilter.setConverter(new StringConverter<>() {
            @Override
            public String toString(Integer v) {
                return v == null || v < 0 ? "all vCPUs" : "vCPU " + v;
            }

            @Override
            public Integer fromString(String s) {
                return null;
            }
        });
    }

    public void bind(ExitTableViewModel model, FrameUpdater updater) {
        vm = model;
        table.setItems(vm.rows());
        refresh = updater.slot("exit-table", this::refreshNow);
        countLabel.textProperty().bind(vm.summaryProperty());
        table.getSelectionModel().selectedIndexProperty().addListener((o, a, b) -> {
            if (!syncing && b.intValue() >= 0 && b.intValue() < vm.rowCount()) {
                syncing = true;
                try {
                    vm.selection().select(vm.seqAt(vm.pageStart() + b.intValue()));
                } finally {
                    syncing = false;
                }
            }
        });
        vm.selection().seqProperty().addListener((o, a, b) -> showSelection());
        table.skinProperty().addListener((o, a, b) -> {
            VirtualFlow<?> f = flow();
            if (f != null) {
                f.positionProperty().addListener(p -> onTableScrolled());
            }
        });
        overview.valueProperty().addListener((o, a, b) -> {
            if (!following) {
                scrollListTo(b.intValue());
            }
        });
        vm.rows().addListener((ListChangeListener<ExitRow>) c -> {
            // rows appear as a live run grows; keep the selected row selected
            if (!syncing) {
                FxThread.later(this::showSelection);
            }
        });
        // while the rows change, the table moves its own selected index about: that is not the user choosing
        // an exit, and must not move the shared selection (it did, under load: a stop selected, then row 11)
        reasonFilter.getCheckModel().getCheckedItems().addListener((ListChangeListener<Integer>) c -> applyFilter());
        vcpuFilter.valueProperty().addListener(o -> applyFilter());
        textFilter.setOnAction(e -> applyFilter());
        textFilter.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ESCAPE && !textFilter.getText().isEmpty()) {
                textFilter.clear();          // cancels a text search still going, and lists every exit again
                e.consume();
            }
        });
        textFilter.textProperty().addListener(o -> applyFilter());
    }

    /**
     * ↑/↓, PageUp/PageDown, Home/End move through the whole list, not the page the table holds (its own keys
     * would stop at the page's ends): the shared selection moves, and the page follows it.
     */
    private void moveKey(KeyEvent e) {
        if (vm == null || e.isShortcutDown() || e.isAltDown() || e.isShiftDown() || vm.rowCount() == 0) {
            return;
        }
        VirtualFlow<?> f = flow();
        double rowHeight = table.getFixedCellSize() > 0 ? table.getFixedCellSize() : 24;
        int visible = f == null ? 10 : Math.max(1, (int) (f.getHeight() / rowHeight) - 1);   // a screenful
        int at = vm.indexOf(vm.selection().seq());
        if (at < 0) {
            at = vm.pageStart() + Math.max(0, table.getFocusModel().getFocusedIndex());
        }
        int to = switch (e.getCode()) {
            case UP -> at - 1;
            case DOWN -> at + 1;
            case PAGE_UP -> at - visible;
            case PAGE_DOWN -> at + visible;
            case HOME -> 0;
            case END -> vm.rowCount() - 1;
            default -> -2;
        };
        if (to == -2) {
            return;
        }
        e.consume();
        vm.selection().select(vm.seqAt(Math.max(0, Math.min(vm.rowCount() - 1, to))));
    }

    /** Fills the filter choices for a new source (the reasons present are counted off the FX thread). */
    public void sourceChanged(ExitSource s) {
        kernelColumn.setVisible(s != null && s.kernelEvents().capture().on());
        List<Integer> vcpus = new ArrayList<>();
        vcpus.add(-1);
        for (int v = 0; s != null && v < s.machine().vcpus(); v++) {
            vcpus.add(v);
        }
        vcpuFilter.getItems().setAll(vcpus);
        vcpuFilter.getSelectionModel().select(0);
        reasonFilter.getCheckModel().clearChecks();
        reasonFilter.getItems().clear();
        indexing = false;          // a pass over the old source may still be going; its answer is dropped
        indexedUpTo = 0;
        updateReasonChoices(s);
    }

    /**
     * Re-reads which reasons the run has (a growing run, or a file still being read, may show new ones), indexing
     * the new exits in the background, one pass at a time: a reason or vCPU filter then finds the index ready
     * instead of indexing millions of exits first (10M-exit trace: 0.2 s of the filter's time).
     */
    public void updateReasonChoices(ExitSource s) {
        if (s == null || indexing) {
            return;
        }
        indexing = true;
        long upTo = s.columns().size();
        FxThread.background(() -> vm.reasonsPresent(s)).thenAccept(seen -> FxThread.run(() -> {
            indexing = false;
            if (vm.source() != s) {
                return;
            }
            indexedUpTo = upTo;
            for (int code = 0; code < 256; code++) {
                if (seen[code] && !reasonFilter.getItems().contains(code)) {
                    reasonFilter.getItems().add(code);
                }
            }
        }));
    }

    private void applyFilter() {
        if (vm == null) {
            return;
        }
        Set<Integer> codes = new HashSet<>(reasonFilter.getCheckModel().getCheckedItems());
        Integer v = vcpuFilter.getValue();
        changeRows(() -> vm.setFilter(codes, v == null ? -1 : v, textFilter.getText()));
    }

    public void markDirty() {
        refresh.markDirty();
        ExitSource s = vm.source();
        if (s != null && s.columns().size() > indexedUpTo) {
            updateReasonChoices(s);
        }
    }

    /** New kernel events: the visible rows' kernel counts are redrawn at the next refresh (at most 4 per second). */
    public void kernelGrew() {
        kernelStale = true;
        refresh.markDirty();
    }

    /** Opens the drill-down: the kernel events before exit {@code seq}. Returns its window (tests). */
    public javafx.stage.Stage showKernelEvents(long seq) {
        ExitSource s = vm.source();
        if (s == null || !s.kernelEvents().capture().on() || seq < 0 || seq >= s.columns().size()) {
            return null;
        }
        return KernelEventsWindow.show(table.getScene() == null ? null : table.getScene().getWindow(), s, seq);
    }

    private void refreshNow() {
        changeRows(vm::refresh);      // new rows arrive as list changes: cells already shown stay as they are
        if (kernelStale) {
            long now = System.nanoTime();
            if (now - kernelDrawn >= 250_000_000L) {
                kernelStale = false;
                kernelDrawn = now;
                changeRows(table::refresh);   // the table's own selection moves while it rebuilds cells
            } else {
                refresh.markDirty();   // not yet: look again next frame so the last batch is shown too
            }
        }
    }

    /** Changes the rows without the table's own selection moves reaching the shared selection, then re-syncs. */
    private void changeRows(Runnable change) {
        syncing = true;
        try {
            change.run();
        } finally {
            syncing = false;
        }
        showSelection();
    }

    /** Selects and reveals the row of the shared selection (if it is listed), moving the page to it. */
    public void showSelection() {
        long seq = vm.selection().seq();
        int index = vm.indexOf(seq);
        syncing = true;
        try {
            if (index < 0) {
                table.getSelectionModel().clearSelection();
                return;
            }
            vm.pageTo(index);
            int row = index - vm.pageStart();
            if (table.getSelectionModel().getSelectedIndex() != row) {
                table.getSelectionModel().clearAndSelect(row);
            }
            table.getFocusModel().focus(row);
            revealRow(row);
        } finally {
            syncing = false;
            updateOverview();
        }
    }

    /** Shows row {@code index} of the whole list at the top (the overview bar was moved). */
    private void scrollListTo(int index) {
        if (index < 0 || index >= vm.rowCount()) {
            return;
        }
        syncing = true;
        try {
            if (vm.pageTo(index)) {
                reselect();
            }
            table.scrollTo(index - vm.pageStart());
        } finally {
            syncing = false;
        }
    }

    /** The table scrolled: move the page on when its rows in view near an end of it; the overview follows. */
    private void onTableScrolled() {
        VirtualFlow<?> f = flow();
        if (syncing || f == null || f.getFirstVisibleCell() == null || f.getLastVisibleCell() == null) {
            return;
        }
        int first = f.getFirstVisibleCell().getIndex();
        int last = f.getLastVisibleCell().getIndex();
        int top = vm.pageStart() + first;
        boolean nearStart = first < ExitTableViewModel.PAGE_MARGIN && vm.pageStart() > 0;
        boolean nearEnd = last > vm.pageSize() - ExitTableViewModel.PAGE_MARGIN
                && vm.pageStart() + vm.pageSize() < vm.rowCount();
        if (nearStart || nearEnd) {
            FxThread.later(() -> scrollListTo(top));    // not inside the flow's own layout pass
        }
        following = true;
        overview.setValue(top);
        following = false;
    }

    /** After the page moved: the selected exit's row, if it is in the new page. */
    private void reselect() {
        int index = vm.indexOf(vm.selection().seq());
        int row = index - vm.pageStart();
        if (index >= 0 && row >= 0 && row < vm.pageSize()) {
            table.getSelectionModel().clearAndSelect(row);
            table.getFocusModel().focus(row);
        } else {
            table.getSelectionModel().clearSelection();
        }
    }

    /** The overview bar spans the whole list; it shows only when the list is longer than a page. */
    private void updateOverview() {
        boolean paged = vm.rowCount() > ExitTableViewModel.PAGE;
        overview.setVisible(paged);
        overview.setManaged(paged);
        if (paged != table.getStyleClass().contains("paged")) {
            if (paged) {
                table.getStyleClass().add("paged");
            } else {
                table.getStyleClass().remove("paged");
            }
        }
        following = true;
        overview.setMax(Math.max(0, vm.rowCount() - 1));
        overview.setVisibleAmount(Math.max(1, vm.rowCount() / 50.0));
        overview.setUnitIncrement(1);
        overview.setBlockIncrement(Math.max(1, vm.rowCount() / 100.0));
        VirtualFlow<?> f = flow();
        if (f != null && f.getFirstVisibleCell() != null) {
            overview.setValue(vm.pageStart() + f.getFirstVisibleCell().getIndex());
        }
        following = false;
    }

    private VirtualFlow<?> flow() {
        if (table.getSkin() instanceof TableViewSkin<?> skin) {
            for (var n : skin.getChildren()) {
                if (n instanceof VirtualFlow<?> f) {
                    return f;
                }
            }
        }
        return null;
    }

    private void revealRow(int index) {
        VirtualFlow<?> flow = flow();
        if (flow != null) {
            var first = flow.getFirstVisibleCell();
            var last = flow.getLastVisibleCell();
            if (first != null && last != null && index > first.getIndex() && index < last.getIndex()) {
                return;
            }
            int visible = first != null && last != null ? last.getIndex() - first.getIndex() : 10;
            table.scrollTo(Math.max(0, index - Math.max(1, visible / 3)));
            return;
        }
        table.scrollTo(Math.max(0, index - 3));
    }

    public TableView<ExitRow> table() {
        return table;
    }

    public Region root() {
        return root;
    }

    public TextField textFilter() {
        return textFilter;
    }

    public CheckComboBox<Integer> reasonFilter() {
        return reasonFilter;
    }

    public ComboBox<Integer> vcpuFilter() {
        return vcpuFilter;
    }
}
