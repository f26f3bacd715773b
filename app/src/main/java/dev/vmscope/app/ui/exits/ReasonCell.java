package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ReasonPalette;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.TableCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * The exit list's reason: its colour's swatch and KVM's name for it, spelled as the legend spells it. The name is
 * a Text in the cell's graphic rather than the cell's own text: a table cell may clip its text to the line height
 * it measured before it had its row (JavaFX compares a float with a double there), and that clip took the
 * underscore off {@code X86_WRMSR} at the presenter's type.
 */
final class ReasonCell extends TableCell<ExitRow, Integer> {
    private final Region swatch = new Region();
    private final Text name = new Text();
    private final HBox shown = new HBox(swatch, name);

    ReasonCell() {
        swatch.getStyleClass().add("legend-swatch");
        name.getStyleClass().add("reason-name");
        name.fillProperty().bind(textFillProperty());
        name.fontProperty().bind(fontProperty());
        shown.setAlignment(Pos.CENTER_LEFT);
        shown.spacingProperty().bind(graphicTextGapProperty());
        setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(Integer code, boolean empty) {
        super.updateItem(code, empty);
        if (empty || code == null) {
            setText(null);
            setGraphic(null);
        } else {
            name.setText(ReasonPalette.name(code));
            setText(name.getText());   // not drawn (the graphic is): what the column fit measures
            swatch.setStyle("-fx-background-color: " + ReasonPalette.css(code) + ";");
            setGraphic(shown);
        }
    }
}
