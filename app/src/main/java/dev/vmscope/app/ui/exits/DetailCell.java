package dev.vmscope.app.ui.exits;

import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;

/**
 * The exit list's decoded detail. The column takes the room the others leave (a detail can be longer than any
 * width a window has), so a long one is cut to "…" and says its whole text on hover.
 */
final class DetailCell extends TableCell<ExitRow, String> {
    private final Tooltip whole = new Tooltip();

    @Override
    protected void updateItem(String detail, boolean empty) {
        super.updateItem(detail, empty);
        boolean none = empty || detail == null || detail.isEmpty();
        setText(empty ? null : detail);
        whole.setText(none ? "" : detail);
        setTooltip(none ? null : whole);
    }
}
