package dev.vmscope.app.ui.kernel;

import dev.vmscope.engine.trace.ExitSource;

/**
 * A bounded wait for a live run's kernel-event reader, which publishes a few milliseconds behind the guest, to
 * reach an exit: views of that exit's kernel side wait first so they do not show half of it. Run it with
 * {@code FxThread.afterWait}, never on the FX thread or a compute worker.
 */
public final class KernelCatchUp {
    private KernelCatchUp() {
    }

    /** Waits at most {@code millis} until the kernel events up to exit {@code seq}'s time are all published. */
    public static Runnable to(ExitSource source, long seq, long millis) {
        return () -> {
            if (seq < 0 || seq >= source.columns().size() || !source.kernelEvents().capture().on()) {
                return;
            }
            try {
                source.kernelEvents().awaitComplete(source.columns().timeNs(seq), millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
