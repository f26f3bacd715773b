package dev.vmscope.app.ui.kernel;

import dev.vmscope.engine.trace.ExitSource;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * A small window listing the kernel events before one exit (the exit list's drill-down): a virtual list over
 * {@link KernelEventList}, each row coloured by its kind as on the timeline. FX thread.
 */
public final class KernelEventsWindow {
    private KernelEventsWindow() {
    }

    /** Opens the list for exit {@code seq} of {@code source} beside {@code owner}; returns its stage. */
    public static Stage show(Window owner, ExitSource source, long seq) {
        KernelEventList items = new KernelEventList(source, seq);
        ListView<Long> list = new ListView<>(items);
        list.setId("kernel-event-list");
        list.setCellFactory(v -> new ListCell<>() {
            private final Region swatch = new Region();

            {
                swatch.getStyleClass().add("legend-swatch");
            }

            @Override
            protected void updateItem(Long index, boolean empty) {
                super.updateItem(index, empty);
                if (empty || index == null) {
                    setText(null);
                    setGraphic(null);
                } else {
                    setText(items.text(index));
                    swatch.setStyle("-fx-background-color: " + items.kind(index).css() + ";");
                    setGraphic(swatch);
                }
            }
        });
        list.getStyleClass().add("mono");
        VBox.setVgrow(list, Priority.ALWAYS);
        Label title = new Label(items.title());
        title.setId("kernel-event-title");
        title.getStyleClass().add("pane-title");
        VBox root = new VBox(4, title, list);
        root.getStyleClass().add("kernel-events-window");
        Scene scene = new Scene(root, 760, 420);
        if (owner != null && owner.getScene() != null) {
            scene.getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        Stage stage = new Stage();
        stage.initOwner(owner);
        stage.setTitle(items.title());
        stage.setScene(scene);
        stage.show();
        return stage;
    }
}
