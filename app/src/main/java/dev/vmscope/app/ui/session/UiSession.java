package dev.vmscope.app.ui.session;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.trace.ExitSource;

import java.util.concurrent.CompletableFuture;

/**
 * What the window shows: an exit source, and for a live guest the controls that drive it. Replays and live
 * runs look the same to every pane; only the toolbar asks {@link #isLive()}. Implementations never do KVM
 * work on the caller's thread: commands go to the control thread and return at once.
 */
public interface UiSession extends AutoCloseable {
    enum State {
        /** A recorded run: nothing to drive. */
        REPLAY,
        /** The guest is being built (KVM opened, image loaded). */
        STARTING,
        RUNNING,
        PAUSED,
        FINISHED
    }

    ExitSource source();

    /** A short name for title and status bar, e.g. "hello" or "run.vmtrace". */
    String label();

    boolean isLive();

    /** Current state; cheap (a few volatile reads), called once per frame. */
    State state();

    /**
     * Counts the engine's state changes seen so far. A command's stop comes with a count newer than the one read
     * when the command was given: a state read in between may still be the one from before the command took
     * effect (the engine's reports arrive on its event thread, later under load).
     */
    default long stateVersion() {
        return 0;
    }

    /**
     * The engine's latest one-line notice (a memory bound reached and older data moving to a temporary file, a
     * spill or the kernel-event reader that failed), or null: the status bar shows it.
     */
    default String notice() {
        return null;
    }

    /** New serial output since the last call (live sessions; replays return their whole console once). */
    String drainConsole();

    /** Called (on any thread) whenever the state may have changed; the window only marks itself dirty. */
    void setOnChange(Runnable r);

    default void resume() {
    }

    default void pause() {
    }

    /** Runs vCPU {@code vcpu} (or the first paused one if -1) to its next exit. */
    default void stepExit(int vcpu) {
    }

    /** Whether single-stepping instructions is available (needs the debugger session of the engine). */
    default boolean canStepInstruction() {
        return false;
    }

    default void stepInstruction(int vcpu) {
    }

    /**
     * The bytes of the instruction behind exit {@code r}, read from guest memory (live sessions, on the control
     * thread, through the exit's own page tables: {@code GuestCode}) or from the code pages a trace kept, or null when there is
     * nothing to read them from. Never blocks the caller.
     */
    default CompletableFuture<byte[]> instructionBytes(ExitRecord r) {
        return CompletableFuture.completedFuture(null);
    }

    /** A new session running the same guest from the start (live only; null otherwise). */
    default UiSession restart() {
        return null;
    }

    /** Releases KVM resources (on the control thread for live sessions). */
    @Override
    void close();
}
