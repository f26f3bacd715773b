package dev.vmscope.app.ui.main;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;

import java.util.List;

/**
 * Every key of the window in one table (F1): keys in one column, what they do in the other, grouped by where they
 * work. The menus' accelerators are listed as the menus display them (a test checks none is missing).
 */
final class Shortcuts {
    /** A row: the keys (as menus display them) and what they do; a row without keys heads a group. */
    record Row(String keys, String action) {
        static Row group(String title) {
            return new Row("", title);
        }
    }

    static final List<Row> ALL = List.of(
            Row.group("Run"),
            new Row("F5", "continue"),
            new Row("Shift+F5", "pause"),
            new Row("F10", "step to the next exit (replay: the selected vCPU's next exit)"),
            new Row("F11", "step one instruction (replay: the next exit)"),
            new Row("Ctrl+Shift+F5", "restart"),
            Row.group("Exits, wherever the focus is"),
            new Row("← →", "previous / next exit"),
            new Row("Ctrl+← →", "previous / next exit of the same vCPU"),
            new Row("↑ ↓", "previous / next row of the exit list"),
            new Row("Home  End", "first / last exit (exit list, timeline)"),
            new Row("Page Up  Page Down", "a page up / down the exit list (exit list focused; while a walkthrough"
                    + " shows, its steps)"),
            new Row("Ctrl+F", "filter exits (in the VMCS pane: find a field)"),
            new Row("Esc", "stop a text filter still looking (in the filter field)"),
            Row.group("Timeline"),
            new Row("Ctrl+0", "fit the whole run (0 or F in the timeline)"),
            new Row("Ctrl+=  Ctrl+-", "zoom in / out (+ and - in the timeline, the wheel at the pointer)"),
            new Row("Shift+← →", "pan (or drag)"),
            new Row("Z", "zoom to the selected exit and its neighbours"),
            Row.group("Files and view"),
            new Row("Ctrl+O", "open a trace"),
            new Row("Ctrl+Shift+O", "open a guest image or sample"),
            new Row("Ctrl+Shift+E", "export the view as PNG"),
            new Row("Ctrl+Shift+P", "presenter theme"),
            new Row("Ctrl+Q", "quit"),
            new Row("Ctrl+C", "copy the register value (registers pane)"),
            new Row("F1", "this table"),
            Row.group("Walkthrough"),
            new Row("Ctrl+Shift+W", "show / hide the walkthrough"),
            new Row("Ctrl+Page Down", "next step"),
            new Row("Page Down  Space", "next step, wherever the focus is (a presenter remote)"),
            new Row("Page Up", "previous step"),
            Row.group("Panes"),
            new Row("Ctrl+Shift+M", "maximise the focused pane (again: restore)"),
            new Row("Ctrl+Shift+H", "collapse the focused pane to the strip"),
            new Row("Ctrl+Shift+R", "show every pane"));

    private Shortcuts() {
    }

    /** The table as the F1 dialog shows it. */
    static Node table() {
        GridPane g = new GridPane();
        g.setId("shortcuts-table");
        g.setHgap(18);
        g.setVgap(3);
        int y = 0;
        for (Row r : ALL) {
            if (r.keys().isEmpty()) {
                Label h = new Label(r.action());
                h.getStyleClass().add("shortcuts-group");
                h.setStyle("-fx-font-weight: bold; -fx-padding: " + (y == 0 ? 0 : 8) + " 0 2 0;");
                g.add(h, 0, y++, 2, 1);
            } else {
                Label k = new Label(r.keys());
                k.getStyleClass().add("mono");
                k.setMinWidth(Label.USE_PREF_SIZE);
                g.add(k, 0, y);
                g.add(new Label(r.action()), 1, y++);
            }
        }
        return g;
    }
}
