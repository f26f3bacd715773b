package dev.vmscope.app.ui.console;

import javafx.fxml.FXML;
import javafx.scene.layout.StackPane;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.fxmisc.richtext.util.UndoUtils;

/**
 * The guest's serial output (FXML controller for {@code console.fxml}): a read-only RichTextFX area, undo
 * off, bounded to {@link #MAX_CHARS} so long runs stay light (older text is dropped from the top).
 */
public final class ConsoleView {
    public static final int MAX_CHARS = 200_000;
    static final int TRIM_TO = 150_000;

    @FXML private StackPane root;
    private final StyleClassedTextArea area = new StyleClassedTextArea();

    @FXML
    private void initialize() {
        area.setId("console-text");
        area.setEditable(false);
        area.setWrapText(true);
        area.setUndoManager(UndoUtils.noOpUndoManager());
        area.getStyleClass().add("console");
        root.getChildren().add(new VirtualizedScrollPane<>(area));
    }

    /** Appends guest output (FX thread), trimming from the top past the bound, and keeps the end in view. */
    public void append(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        area.appendText(text);
        int len = area.getLength();
        if (len > MAX_CHARS) {
            area.deleteText(0, len - TRIM_TO);
        }
        area.moveTo(area.getLength());
        area.requestFollowCaret();
    }

    public void clear() {
        area.clear();
    }

    public String text() {
        return area.getText();
    }

    public StyleClassedTextArea area() {
        return area;
    }
}
