package dev.vmscope.app.ui.session;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.RequestCoalescer;
import dev.vmscope.engine.debug.DebugSession;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a pane that reads guest memory (disassembly, memory) needs: the session it reads from, one read at a
 * time (coalesced, and only while the pane shows), and answers from an older session dropped. A live guest is
 * read on the control thread; a recorded trace's code pages on a background worker. FX thread.
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
        if (session instanceof LiveSession || hasRecordedCode(session)) {
            requests.want();
        }
    }

    /** True when {@code s} is a replay whose trace kept the pages code ran from. */
    public static boolean hasRecordedCode(UiSession s) {
        return s != null && !s.isLive() && !s.source().codePages().isEmpty();
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
     * Runs {@code work} on the control thread; its answer, or the failure's message, comes back on the FX thread
     * unless the session changed meanwhile.
     */
    public <T> void read(Function<DebugSession, T> work, Consumer<T> onAnswer, Consumer<String> onFailure) {
        if (!(session instanceof LiveSession ls)) {
            requests.done();
            return;
        }
        answer(ls.onControl(work), onAnswer, onFailure);
    }

    /** Like {@link #read}, for a recorded session: {@code work} runs on a background worker. */
    public <T> void readRecorded(Supplier<T> work, Consumer<T> onAnswer, Consumer<String> onFailure) {
        answer(FxThread.background(work), onAnswer, onFailure);
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
