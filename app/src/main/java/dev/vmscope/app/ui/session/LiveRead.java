package dev.vmscope.app.ui.session;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.RequestCoalescer;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a pane that reads guest memory (disassembly, memory) needs: the session it reads from, one read at a
 * time (coalesced, and only while the pane shows), and answers from an older session dropped. A live guest is
 * read on the control thread; a recorded trace's code pages on the selection lane. FX thread.
 */
public final class LiveRead {
    private final RequestCoalescer requests = new RequestCoalescer();
    private final BooleanProperty active = new SimpleBooleanProperty(this, "active", true);
    private UiSession session;
    private long generation;

    public LiveRead() {
        active.addListener((o, was, now) -> {
            if (now && requests.wanted()) {
                requests.want();   // went stale while hidden: read now
            }
        });
    }

    /** How to get {@link #refresh} called at the next frame (the view's frame slot). */
    public void setMarkDirty(Runnable r) {
        requests.setMarkDirty(r);
    }

    /** True while the pane shows; reads wait until it does. */
    public BooleanProperty activeProperty() {
        return active;
    }

    public UiSession session() {
        return session;
    }

    /** A new session (or none): reads on their way for the old one will be dropped. */
    public void setSession(UiSession s) {
        session = s;
        generation++;
        requests.reset();
    }

    /** The guest may have changed (it ran, the selection moved): read again at the next frame. */
    public void invalidate() {
        if (hasMemory(session)) {
            requests.want();
        }
    }

    /** True when {@code s} has guest memory to read: a live guest, or a replay whose trace kept its code pages. */
    public static boolean hasMemory(UiSession s) {
        return s instanceof LiveSession || (s != null && !s.isLive() && !s.source().codePages().isEmpty());
    }

    /**
     * The selection moved: read for it at once rather than at the next frame, so the answer (a few ms on the
     * selection lane) lands in the same frame as the exit list and registers instead of one or two frames
     * later. A read already on its way still collapses the asks into one after it.
     */
    public void invalidateNow(Runnable start) {
        invalidate();
        refresh(start);
    }

    /** From the frame slot: runs {@code start} if a read is wanted, the pane shows and none is on its way. */
    public void refresh(Runnable start) {
        requests.pump(active.get(), start);
    }

    /** Ends a read that {@code start} decided not to make (e.g. nothing valid to read). */
    public void skip() {
        requests.done();
    }

    /**
     * Reads through whichever memory the session has: {@code live} on the control thread for a live guest,
     * {@code recorded} on the selection lane for exit {@code seq} of a replay (nothing before a selection): a
     * window of code or memory is small, and must not wait behind a pass over millions of exits.
     * The answer, or the failure's message, comes back on the FX thread unless the session changed meanwhile.
     */
    public <T> void read(long seq, Function<DebugSession, T> live, Function<ExitSource, T> recorded,
                         Consumer<T> onAnswer, Consumer<String> onFailure) {
        UiSession s = session;
        if (s instanceof LiveSession ls) {
            answer(ls.onControl(live), onAnswer, onFailure);
        } else if (hasMemory(s) && seq >= 0) {
            answer(FxThread.selection(() -> recorded.apply(s.source())), onAnswer, onFailure);
        } else {
            requests.done();
        }
    }

    private <T> void answer(CompletableFuture<T> pending, Consumer<T> onAnswer, Consumer<String> onFailure) {
        long gen = generation;
        pending.whenComplete((answer, err) -> FxThread.run(() -> {
            if (gen != generation) {
                return;
            }
            requests.done();
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                onFailure.accept(c.getMessage());
            } else {
                onAnswer.accept(answer);
            }
        }));
    }
}
