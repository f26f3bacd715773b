package dev.vmscope.engine.trace;

/**
 * Told of what an {@link ExitStore} gains, on the thread that adds it (a vCPU thread during a live run):
 * keep these callbacks short. Chunks come a few thousand exits at a time, never one call per exit.
 */
public interface StoreListener {
    default void onChunk(Chunk chunk) {
    }

    default void onConsole(String text) {
    }

    default void onBreakpointHit(BreakpointHit hit) {
    }

    default void onOutcome(Outcome outcome) {
    }

    /** A page code ran from, kept for the first time (a few per run, not per exit). */
    default void onCodePage(CodePage page) {
    }

    /** One line to show the user, said once (the live memory bound reached, a spill file that failed). */
    default void onNotice(String line) {
    }
}
