package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.kernel.KernelCatchUp;
import dev.vmscope.app.ui.session.UiSession;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.concurrent.CompletableFuture;

/**
 * Follows the shared selection and computes the {@link ExitDetails} of the selected exit for the explanation
 * and VMCS panes. The work runs off the FX thread: records and views on a background worker, guest memory
 * (the instruction's bytes, live guests only) on the control thread through the session. At most one
 * computation is on its way; selection changes meanwhile only remember the newest exit, which is computed
 * when the running one is done, so holding an arrow key queues nothing. FX-thread state; no nodes.
 */
public final class ExitDetailsViewModel {
    /** How long a computation waits (on a background worker) for the kernel events up to its exit. */
    private static final long KERNEL_WAIT_MS = 100;
    private final ExitSelection selection;
    private final ReadOnlyObjectWrapper<ExitDetails> details = new ReadOnlyObjectWrapper<>(this, "details");
    private UiSession session;
    /** Bumped on every new session: answers for an older one are dropped. */
    private int generation;
    private boolean inFlight;
    /** The exit the panes should show (the selection when it was last read). */
    private long wanted = ExitSelection.NONE;
    private long sourceSizeAtMissing = -1;
    private long started;

    public ExitDetailsViewModel(ExitSelection selection) {
        this.selection = selection;
        selection.seqProperty().addListener((o, a, b) -> request());
    }

    public ExitSelection selection() {
        return selection;
    }

    /** The details of the selected exit, or null when nothing is selected. Changes on the FX thread. */
    public ReadOnlyObjectProperty<ExitDetails> detailsProperty() {
        return details.getReadOnlyProperty();
    }

    public ExitDetails details() {
        return details.get();
    }

    public UiSession session() {
        return session;
    }

    /** Shows {@code s} (null: nothing open); what was on its way for the old session is dropped. */
    public void setSession(UiSession s) {
        session = s;
        generation++;
        inFlight = false;
        details.set(null);
        request();
    }

    /** Shows {@code d} as if it had been computed for the selection (tests and tools; FX thread). */
    void show(ExitDetails d) {
        details.set(d);
    }

    /** Computations started so far (for tests and the frame-cost accounting). */
    public long computationsStarted() {
        return started;
    }

    /** True while a computation is on its way. */
    public boolean busy() {
        return inFlight;
    }

    /** Re-reads the selection and computes its details when they are not shown yet. */
    public void request() {
        wanted = selection.seq();
        pump(false);
    }

    /**
     * Once per frame: a selected exit a live source did not have yet is retried when the source has grown.
     * A few field reads when there is nothing to do.
     */
    public void poll() {
        ExitDetails d = details.get();
        UiSession s = session;
        if (d == null || !d.pending() || inFlight || s == null) {
            return;
        }
        long size = s.source().size();
        if (size != sourceSizeAtMissing) {
            sourceSizeAtMissing = size;
            pump(true);
        }
    }

    private void pump(boolean again) {
        if (inFlight) {
            return;                      // the answer's arrival starts the newest request
        }
        ExitDetails shown = details.get();
        long seq = wanted;
        if (session == null || seq < 0) {
            if (shown != null) {
                details.set(null);
            }
            return;
        }
        if (shown != null && shown.seq() == seq && !again) {
            return;
        }
        inFlight = true;
        started++;
        int gen = generation;
        UiSession s = session;
        // always a later FX event: a chain that finished before this line would otherwise answer inline,
        // inside the same burst of selection moves, and the next move would start another computation
        compute(s, seq).whenComplete((d, err) -> FxThread.later(() -> {
            if (gen != generation) {
                return;                  // a new session meanwhile: setSession cleared inFlight
            }
            inFlight = false;
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                details.set(ExitDetails.failed(seq, "could not build the view of exit #" + seq + ": " + c));
            } else {
                if (d.pending()) {
                    sourceSizeAtMissing = s.source().size();
                }
                details.set(d);
            }
            if (wanted != seq) {
                pump(false);
            }
        }));
    }

    /** Reads the records, the instruction bytes (control thread, live only), builds: on the selection lane. */
    private static CompletableFuture<ExitDetails> compute(UiSession s, long seq) {
        ExitSource src = s.source();
        return FxThread.selection(() -> ExitDetails.records(src, seq)).thenCompose(recs -> {
            ExitRecord r = recs[0];
            ExitRecord p = recs[1];
            if (r == null) {
                return CompletableFuture.completedFuture(ExitDetails.pending(seq));
            }
            CompletableFuture<byte[]> bytes = s.instructionBytes(r);
            CompletableFuture<byte[]> prevBytes = p == null ? CompletableFuture.completedFuture(null)
                    : s.instructionBytes(p);
            return bytes.thenCombine(prevBytes, (b, pb) -> new byte[][]{b, pb})
                    // a live reader lags the guest by a few ms: let it catch up with this exit (bounded)
                    .thenCompose(bb -> FxThread.afterWait(KernelCatchUp.to(src, r.seq(), KERNEL_WAIT_MS),
                            () -> ExitDetails.of(r, bb[0], p, bb[1], s.isLive(), src)));
        });
    }
}
