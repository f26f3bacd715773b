package dev.vmscope.engine.sys;

/**
 * The signal used to kick a vCPU thread out of KVM_RUN. A handler must be installed (one that does
 * nothing): with the default action the signal would kill the process, and an ignored signal would not
 * interrupt KVM_RUN.
 */
public final class ThreadKick {
    /** SIGUSR1 is not used by HotSpot on Linux (SIGUSR2 is its suspend/resume signal). */
    public static final int SIGNAL = 10;
    private static volatile boolean installed;

    private ThreadKick() {
    }

    public static synchronized void install() {
        if (!installed) {
            ProcessSignals.handle("USR1", sig -> { });
            installed = true;
        }
    }
}
