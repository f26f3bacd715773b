package dev.vmscope.app.ui.main;

import dev.vmscope.app.cli.GdbBatch;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Run ▸ Wait for gdb… as a user does it: the menu, the dialog asking for a port, then real gdb attaching to the
 * port the status bar names, and the window selecting the exit of gdb's stop.
 */
class WaitForGdbDialogTest extends WindowTest {
    private static final Pattern STATUS = Pattern.compile("target remote 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void theDialogOpensAPortGdbAttachesToAndTheWindowFollows() throws Exception {
        GdbBatch.requireGdb();
        openSampleLive("longmode");
        FxTests.onFx(() -> robot.lookup(".menu-bar").queryAs(MenuBar.class).getMenus().stream()
                .filter(m -> m.getText().replace("_", "").equals("Run")).findFirst().ifPresent(Menu::show));
        // the menu's popup window opens after show() returns: look for the item until it is there (a lookup
        // while the window list changes can throw, so a failed look counts as not yet)
        FxTests.waitUntil("the Run menu open", 10, () -> {
            try {
                return robot.lookup("Wait for gdb…").tryQuery().isPresent();
            } catch (RuntimeException windowsChanging) {
                return false;
            }
        });
        robot.clickOn("Wait for gdb…");
        FxTests.waitUntil("the dialog", 10, () -> robot.lookup(".dialog-pane .text-field").tryQuery().isPresent());
        TextField port = robot.lookup(".dialog-pane .text-field").queryAs(TextField.class);
        assertThat(FxTests.onFx(() -> port.getText())).isEqualTo("1234");
        robot.doubleClickOn(port).write("127.0.0.1:0").type(KeyCode.ENTER);   // any free port
        FxTests.waitUntil("the port in the status bar", 10,
                () -> STATUS.matcher(w.vm.statusProperty().get()).find());
        Matcher m = STATUS.matcher(FxTests.onFx(() -> w.vm.statusProperty().get()));
        assertThat(m.find()).isTrue();
        String out = GdbBatch.run(Integer.parseInt(m.group(1)), "hbreak *0x1062", "continue", "stepi", "p/x $pc");
        assertThat(out).contains("$1 = 0x1066");   // long_entry's mov ax, 0x10 is four bytes
        try {
            FxTests.waitUntil("the window on gdb's stop", 20, () -> {
                w.window.updater().frame();
                long seq = w.vm.selection().seq();
                return seq >= 0 && w.vm.session().source().get(seq).state().rip() == 0x1066;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + FxTests.onFx(() -> {
                var src = w.vm.session().source();
                StringBuilder b = new StringBuilder("selected #" + w.vm.selection().seq() + " of " + src.size() + ":");
                src.scan(0, src.size(), r -> b.append(String.format(" #%d %s rip=0x%x", r.seq(), r.reason(),
                        r.state().rip())));
                return b.toString();
            }) + "\ngdb:\n" + out, e);
        }
    }
}
