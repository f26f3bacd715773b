package dev.vmscope.engine.time;

/**
 * A stretch of wall time in which no vCPU ran (every one paused in the debugger), cut out of the run's clock:
 * it sits at run time {@code atNs} and lasted {@code lengthNs} of wall time. Views mark it as a thin gap.
 */
public record Pause(long atNs, long lengthNs) {
}
