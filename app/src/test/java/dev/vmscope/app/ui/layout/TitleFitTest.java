package dev.vmscope.app.ui.layout;

import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.Lectures;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import javafx.geometry.Bounds;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run's title stays in the toolbar at 1280×720 in the presenter theme instead of going to the toolbar's
 * overflow menu: whole when there is room, else cut in the middle, and whole (with the trace's full path) on hover.
 */
class TitleFitTest extends WindowTest {
    @Test
    void cutInTheMiddleToTheRoom() {
        String title = "vmscope — a-very-long-recording-name.vmtrace (replay)";
        assertThat(TitleFit.shorten(title, 100, String::length)).isEqualTo(title);
        assertThat(TitleFit.shorten(title, 50, String::length)).isEqualTo("a-very-long-recording-name.vmtrace (replay)");
        String cut = TitleFit.shorten(title, 30, String::length);
        assertThat(cut).hasSize(30).startsWith("a-very-long-re").endsWith("ace (replay)").contains(TitleFit.CUT);
        assertThat(TitleFit.shorten(title, 3, String::length)).hasSize(TitleFit.LEAST_CHARS + 1);
    }

    @Test
    void longmodeTraceTitleInTheToolbar() throws Exception {
        w = Lectures.replayAt("longmode", 1280, 720, 1);
        assertThat(FxTests.onFx(this::titleInBar)).as("the title in the toolbar, not its overflow menu").isTrue();
        assertThat(FxTests.onFx(() -> title().getText())).endsWith("longmode.vmtrace (replay)");
        assertThat(FxTests.onFx(() -> title().getTooltip().getText()))
                .isEqualTo(Samples.directory().resolve("longmode/longmode.vmtrace").toAbsolutePath().normalize().toString());
    }

    @Test
    void longFileNameCutInTheMiddle(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("msr-sample-recorded-for-the-lecture-on-model-specific-registers.vmtrace");
        Files.copy(Samples.directory().resolve("msr/msr.vmtrace"), trace);
        w = WindowFixture.open(1280, 720);
        FxTests.onFx(() -> {
            w.vm.themeProperty().set(Theme.PRESENTER);
            w.vm.openTrace(trace);
        });
        FxTests.waitUntil("the trace open", 30,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.REPLAY);
        FxTests.waitUntil("the title fitted into the toolbar", 30, this::titleInBar);
        String shown = FxTests.onFx(() -> title().getText());
        assertThat(shown).startsWith("msr-sample").endsWith("vmtrace (replay)").contains(TitleFit.CUT);
        assertThat(FxTests.onFx(() -> title().getTooltip().getText())).isEqualTo(trace.toAbsolutePath().normalize().toString());
    }

    private Label title() {
        return (Label) w.window.root().lookup("#session-label");
    }

    /** The title label shows inside the toolbar (an item in the overflow menu is out of the toolbar's scene). */
    private boolean titleInBar() {
        Label l = title();
        ToolBar bar = (ToolBar) w.window.root().lookup(".main-toolbar");
        if (l == null || l.getScene() == null || !PresenterLayout.shows(l)) {
            return false;
        }
        Bounds b = l.localToScene(l.getLayoutBounds());
        Bounds t = bar.localToScene(bar.getLayoutBounds());
        return b.getWidth() > 0 && b.getMinX() >= t.getMinX() && b.getMaxX() <= t.getMaxX() + 0.5;
    }
}
