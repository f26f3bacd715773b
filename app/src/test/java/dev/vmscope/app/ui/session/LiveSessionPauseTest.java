package dev.vmscope.app.ui.session;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.testing.Guests;
import dev.vmscope.engine.machine.GuestSpec;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pause does not wait behind the control thread: while a long command holds it (as a walkthrough step does
 * until the guest stops where it should), a pause still stops a guest spinning without exits at once — and a
 * continue queued before a pause cannot undo it.
 */
class LiveSessionPauseTest {
    private static void waitFor(String what, long millis, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime() < end).as("waiting for " + what).isTrue();
            Thread.sleep(5);
        }
    }

    @Test
    void pauseStopsTheGuestWhileTheControlThreadIsBusy() throws Exception {
        Guests.requireKvm();
        LiveSession s = LiveSession.start(GuestSpec.resolve(Samples.directory().resolve("spin")).build())
                .get(20, TimeUnit.SECONDS);
        CountDownLatch release = new CountDownLatch(1);
        try {
            s.resume();
            waitFor("spin to run", 5_000, () -> s.state() == UiSession.State.RUNNING);
            FxThread.control(() -> {
                try {
                    release.await(20, TimeUnit.SECONDS);    // a long command: the control thread is busy
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long t0 = System.nanoTime();
            s.pause();
            waitFor("the pause, with the control thread busy", 2_000, () -> s.state() == UiSession.State.PAUSED);
            System.out.printf("paused in %.1f ms while the control thread was busy%n", (System.nanoTime() - t0) / 1e6);

            // a continue and a pause queued behind the busy control thread: the pause wins
            s.resume();
            s.pause();
            release.countDown();
            FxThread.control(() -> { }).get(5, TimeUnit.SECONDS);
            waitFor("paused after the queue drained", 2_000, () -> s.state() == UiSession.State.PAUSED);
            Thread.sleep(200);
            assertThat(s.state()).isEqualTo(UiSession.State.PAUSED);
        } finally {
            release.countDown();
            s.close();
        }
    }
}
