package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.engine.debug.AddressBreakpoint;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * What the breakpoints panel asks of a debugger: make the engine hold exactly what a row says, and report hit
 * counts. Rows are named by a key; the engine side remembers which engine breakpoint a key stands for. Every
 * call returns at once; the live implementation does the work on the session's control thread, and the
 * futures complete there.
 */
public interface BreakpointEngine {
    /** What a row now is in the engine: its breakpoint id (-1: none set) and the engine's error, or null. */
    record Applied(int id, String error) {
        public static final Applied NONE = new Applied(-1, null);

        static Applied failed(String error) {
            return new Applied(-1, error);
        }
    }

    /**
     * Hit counts by row key (rows without a breakpoint in the engine are absent), and the key of the breakpoint
     * the session is paused on (null when it is not paused on one).
     */
    record Counts(Map<String, Long> hits, String stoppedOn) {
    }

    /** Sets (or replaces) the exit breakpoint {@code spec} for {@code key}, enabled or not. */
    CompletableFuture<Applied> applyExit(String key, String spec, boolean enabled);

    /**
     * Sets the hardware breakpoint for {@code key}; a disabled one is taken out of the debug registers so another
     * can use the slot.
     */
    CompletableFuture<Applied> applyAddress(String key, long address, AddressBreakpoint.Kind kind, int length,
                                            boolean enabled);

    /** Deletes whatever {@code key} stands for. */
    CompletableFuture<Void> remove(String key);

    CompletableFuture<Counts> counts();
}
