package dev.vmscope.engine.debug;

/**
 * Told when the session's state changes (run, pause, step done, breakpoint, finish). Called on the
 * session's own event thread, never on a vCPU thread and never once per exit.
 */
@FunctionalInterface
public interface DebugListener {
    void stateChanged(SessionState state);
}
