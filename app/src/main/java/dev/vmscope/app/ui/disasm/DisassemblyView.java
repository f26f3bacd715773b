package dev.vmscope.app.ui.disasm;

import dev.vmscope.app.ui.FrameUpdater;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.util.UndoUtils;

import java.util.List;

/**
 * The disassembly tab (FXML controller for {@code disassembly.fxml}): a read-only RichTextFX area holding only
 * the window of instructions the model built (about 64 around RIP), coloured by {@link AsmHighlighter}, the
 * instruction at RIP marked (▶ and a highlighted line) and scrolled into the middle.
 */
public final class DisassemblyView {
    @FXML private VBox root;
    @FXML private Label title;
    @FXML private Label message;
    @FXML private StackPane areaHolder;
    private final StyleClassedTextArea area = new StyleClassedTextArea();
    private DisassemblyViewModel vm;

    @FXML
    private void initialize() {
        area.setId("disassembly-text");
        area.setEditable(false);
        area.setWrapText(false);
        area.setUndoManager(UndoUtils.noOpUndoManager());
        area.getStyleClass().add("disassembly");
        areaHolder.getChildren().add(new VirtualizedScrollPane<>(area));
    }

    /** Binds to {@code model}; reads run from a slot of {@code frames}, so at most one per frame. */
    public void bind(DisassemblyViewModel model, FrameUpdater frames) {
        vm = model;
        FrameUpdater.Slot slot = frames.slot("disassembly", vm::refresh);
        vm.setMarkDirty(slot::markDirty);
        title.textProperty().bind(vm.titleProperty());
        message.textProperty().bind(vm.messageProperty());
        message.visibleProperty().bind(vm.messageProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());
        areaHolder.visibleProperty().bind(vm.listingProperty().isNotNull());
        vm.listingProperty().addListener((o, a, b) -> show(b));
        show(vm.listingProperty().get());
    }

    private void show(ListingText t) {
        if (t == null) {
            area.clear();
            return;
        }
        area.replaceText(t.text());
        area.setStyleSpans(0, StyledText.spans(t.text(), t.spans()));
        for (int i = 0; i < area.getParagraphs().size(); i++) {
            area.setParagraphStyle(i, i == t.current() ? List.of("asm-current") : List.of());
        }
        if (t.current() >= 0) {
            area.moveTo(t.current(), 0);
            area.showParagraphAtCenter(t.current());
        }
    }

    public StyleClassedTextArea area() {
        return area;
    }

    public Label message() {
        return message;
    }

    public VBox root() {
        return root;
    }
}
