package dev.vmscope.app.ui.testing;

import dev.vmscope.app.ui.Theme;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.walkthrough.WalkthroughViewModel;

import java.util.concurrent.TimeoutException;

/** A lecture as the tests see it: a sample's recorded trace in the presenter theme, its walkthrough at a step. */
public final class Lectures {
    private Lectures() {
    }

    /**
     * Opens {@code sample}'s bundled trace at {@code width}×{@code height} in the presenter theme (the walkthrough
     * opens with it) and plays the walkthrough to step {@code step} (1-based), waiting for each step to finish.
     */
    public static WindowFixture replayAt(String sample, int width, int height, int step) throws TimeoutException {
        WindowFixture w = WindowFixture.open(width, height);
        FxTests.onFx(() -> {
            w.vm.themeProperty().set(Theme.PRESENTER);
            w.vm.openTrace(Samples.directory().resolve(sample).resolve(sample + ".vmtrace"));
        });
        FxTests.waitUntil(sample + " trace open", 30,
                () -> w.vm.session() != null && w.vm.session().state() == UiSession.State.REPLAY);
        WalkthroughViewModel m = w.window.walkthrough().model();
        FxTests.waitUntil("the walkthrough of " + sample, 20, () -> m.walkthrough() != null);
        for (int i = 0; i < step; i++) {
            int at = i;
            FxTests.onFx(m::next);
            FxTests.waitUntil("step " + (at + 1) + " of " + sample, 60, () -> m.index() == at && !m.busyProperty().get());
        }
        w.frame();
        return w;
    }
}
