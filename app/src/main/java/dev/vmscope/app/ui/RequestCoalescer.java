package dev.vmscope.app.ui;

/**
 * One request to the control thread at a time, however often a pane asks: asks made while one is on its way
 * collapse into a single one after it, started from the next frame. For panes that read guest memory when the
 * selection moves (holding an arrow key asks 30 times a second). FX thread.
 */
public final class RequestCoalescer {
    private Runnable markDirty = () -> { };
    private boolean wanted;
    private boolean inFlight;

    /** How to get {@link #pump} called at the next frame (a frame slot's markDirty). */
    public void setMarkDirty(Runnable r) {
        markDirty = r == null ? () -> { } : r;
    }

    /** The pane is stale: fetch again at the next frame. */
    public void want() {
        wanted = true;
        markDirty.run();
    }

    public boolean wanted() {
        return wanted;
    }

    /**
     * From the frame slot: when wanted, {@code active} and nothing is on its way, runs {@code start}, which must
     * call {@link #done()} once its answer is shown (or dropped).
     */
    public void pump(boolean active, Runnable start) {
        if (!wanted || !active || inFlight) {
            return;
        }
        wanted = false;
        inFlight = true;
        try {
            start.run();
        } catch (RuntimeException e) {
            inFlight = false;
            throw e;
        }
    }

    /** The answer is in: if the pane went stale meanwhile, fetch once more at the next frame. */
    public void done() {
        inFlight = false;
        if (wanted) {
            markDirty.run();
        }
    }

    /** Forget what is on its way (a new session): its answer will be dropped by the caller. */
    public void reset() {
        inFlight = false;
    }
}
