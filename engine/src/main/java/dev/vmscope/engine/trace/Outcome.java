package dev.vmscope.engine.trace;

/** How a guest run ended. {@code status} is the guest's status for DEBUG_EXIT, else 0. */
public record Outcome(Kind kind, int status, long atSeq, String message) {
    public enum Kind {
        /** Every vCPU halted with nothing to wake it. */
        HALTED,
        /** The guest wrote to the debug-exit port. */
        DEBUG_EXIT,
        /** Triple fault (KVM_EXIT_SHUTDOWN). */
        TRIPLE_FAULT,
        /** KVM_EXIT_FAIL_ENTRY: the CPU refused to enter the guest. */
        ENTRY_FAILED,
        /** KVM_EXIT_INTERNAL_ERROR, e.g. an instruction KVM could not emulate. */
        INTERNAL_ERROR,
        /** KVM_EXIT_SYSTEM_EVENT (shutdown, reset, crash requested by the guest). */
        SYSTEM_EVENT,
        /** The --max-exits limit was reached. */
        EXIT_LIMIT,
        /** The user stopped the run. */
        STOPPED,
        /** vmscope itself failed (a KVM call or a guest access it could not serve). */
        ERROR;

        /** True for outcomes where the guest went wrong. */
        public boolean isFailure() {
            return this == TRIPLE_FAULT || this == ENTRY_FAILED || this == INTERNAL_ERROR || this == ERROR;
        }
    }

    /** The process exit code for the command line: 0 normal, 1 guest failure, (v<<1)|1 for a debug exit. */
    public int exitCode() {
        if (kind == Kind.DEBUG_EXIT) {
            return status & 0xFF;
        }
        return kind.isFailure() ? 1 : 0;
    }
}
