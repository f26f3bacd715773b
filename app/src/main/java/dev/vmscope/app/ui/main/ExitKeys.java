package dev.vmscope.app.ui.main;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.TreeTableView;
import javafx.scene.control.TreeView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * Keys that move between exits wherever the focus is: {@code ←}/{@code →} the previous/next exit
 * ({@code Ctrl}: of the same vCPU), and in a replay, where nothing runs, {@code F10} the selected vCPU's next exit
 * and {@code F11} the next exit of any vCPU (a trace holds exits, not instructions). Text fields keep their
 * arrows for the caret, trees (the VMCS areas) for opening and closing, combo boxes for their choices.
 */
final class ExitKeys {
    private final MainViewModel vm;

    private ExitKeys(MainViewModel vm) {
        this.vm = vm;
    }

    static void install(Scene scene, MainViewModel vm) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, new ExitKeys(vm)::onKey);
    }

    private void onKey(KeyEvent e) {
        if (e.isAltDown() || e.isShiftDown() || e.isMetaDown() || vm.session() == null) {
            return;
        }
        KeyCode k = e.getCode();
        boolean replay = !vm.session().isLive();
        if (replay && (k == KeyCode.F10 || k == KeyCode.F11) && !e.isControlDown()) {
            if (k == KeyCode.F10) {
                vm.selection().moveSameVcpu(1);
            } else {
                vm.selection().move(1);
            }
            shown(e);
        } else if ((k == KeyCode.LEFT || k == KeyCode.RIGHT) && !keepsArrows(focus(e))) {
            int dir = k == KeyCode.RIGHT ? 1 : -1;
            if (e.isShortcutDown()) {
                vm.selection().moveSameVcpu(dir);
            } else {
                vm.selection().move(dir);
            }
            shown(e);
        }
    }

    private void shown(KeyEvent e) {
        vm.timeline().ensureVisible(vm.selection().seq());
        e.consume();
    }

    private static Node focus(KeyEvent e) {
        return e.getSource() instanceof Scene s ? s.getFocusOwner() : null;
    }

    /** Controls whose own arrow keys matter more than moving between exits. */
    private static boolean keepsArrows(Node focus) {
        for (Node n = focus; n != null; n = n.getParent()) {
            if (n instanceof TextInputControl || n instanceof TreeView<?> || n instanceof TreeTableView<?>
                    || n instanceof ComboBoxBase<?> || n.getStyleClass().contains("walkthrough-pane")) {
                return true;
            }
        }
        return false;
    }
}
