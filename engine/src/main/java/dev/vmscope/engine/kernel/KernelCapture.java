package dev.vmscope.engine.kernel;

/**
 * Whether a run has kernel events and, in one line, why not ("kernel events were not asked for",
 * "no permission to trace: …") or what to know about them.
 *
 * @param on   true when tracepoints were captured for this run
 * @param note one line for the user; empty when there is nothing to say
 */
public record KernelCapture(boolean on, String note) {
    public static final KernelCapture OFF = new KernelCapture(false, "kernel events were not captured (--kernel-events)");
}
