package dev.vmscope.engine.debug;

import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.Outcome;

/**
 * Where a debug session stands: running, paused (with the exit it stopped at and why) or finished.
 * {@code seq} is -1 when paused before the first exit.
 */
public record SessionState(Mode mode, int vcpu, long seq, StopReason reason, BreakpointHit hit, Outcome outcome) {
    public enum Mode { RUNNING, PAUSED, FINISHED }

    public enum StopReason { NONE, START, PAUSE, STEP, BREAKPOINT, FINISHED }

    static SessionState running() {
        return new SessionState(Mode.RUNNING, -1, -1, StopReason.NONE, null, null);
    }

    public String describe() {
        return switch (mode) {
            case RUNNING -> "running";
            case FINISHED -> "finished: " + outcome.kind() + " — " + outcome.message();
            case PAUSED -> (seq < 0 ? "paused before the first instruction"
                    : "paused at exit #" + seq + " on vCPU " + vcpu)
                    + switch (reason) {
                        case BREAKPOINT -> " (breakpoint " + hit.breakpointId() + ": " + hit.description() + ")";
                        case STEP -> " (step)";
                        case PAUSE -> " (pause)";
                        default -> "";
                    };
        };
    }
}
