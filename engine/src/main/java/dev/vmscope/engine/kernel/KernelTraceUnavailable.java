package dev.vmscope.engine.kernel;

/**
 * Kernel events cannot be captured on this host or by this user. The message is one line for the user: what
 * is missing and what to do. A run goes on without kernel events; this never fails it.
 */
public final class KernelTraceUnavailable extends Exception {
    public KernelTraceUnavailable(String message) {
        super(message);
    }
}
