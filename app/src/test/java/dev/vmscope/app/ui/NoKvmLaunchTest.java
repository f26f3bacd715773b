package dev.vmscope.app.ui;

import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.machine.GuestSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code vmscope ui} on a host without KVM: hello (what the window opens with no arguments) opens its recorded
 * run instead, browsable with its walkthrough, and the banner says why. Runs without /dev/kvm (the device named
 * does not exist).
 */
class NoKvmLaunchTest extends WindowTest {
    @Test
    void aSampleOpensItsRecordedRunWhenKvmIsMissing() throws Exception {
        w = WindowFixture.open();
        var hello = GuestSpec.resolve(Samples.directory().resolve("hello")).build().toBuilder()
                .kvmDevice("/nonexistent/kvm").build();
        FxTests.onFx(() -> VmscopeApp.open(w.vm, LaunchRequest.guest(hello)));
        FxTests.waitUntil("hello's recorded run", 30, () -> w.vm.session() != null
                && w.vm.session().state() == UiSession.State.REPLAY && w.vm.session().source().size() > 0);
        assertThat(FxTests.onFx(() -> w.vm.session().label())).isEqualTo("hello.vmtrace");
        assertThat(FxTests.onFx(() -> w.vm.bannerProperty().get())).startsWith("Replay mode: KVM is not available")
                .contains("hello's recorded run");
        assertThat(FxTests.onFx(() -> w.vm.kvmAvailableProperty().get())).isFalse();
        FxTests.waitUntil("its walkthrough", 20, () -> FxTests.onFx(() -> w.window.walkthrough().model().walkthrough())
                != null);
    }
}
