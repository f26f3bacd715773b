package dev.vmscope.engine.machine;

/**
 * The hardware breakpoints every vCPU runs with: DR0–DR3 addresses and the DR7 value enabling them
 * (0 = none). Immutable; the debugger swaps in a new one and each vCPU applies it on its own thread.
 */
public record GuestDebugSettings(long[] addresses, long dr7) {
    public static final GuestDebugSettings NONE = new GuestDebugSettings(new long[4], 0);

    public GuestDebugSettings {
        addresses = addresses.clone();
        if (addresses.length != 4) {
            throw new IllegalArgumentException("four debug address registers");
        }
    }

    /** True if DR7 slot {@code n} is an execute breakpoint (R/W bits 00). */
    public boolean isExecute(int n) {
        return (dr7 & (1L << (2 * n))) != 0 && ((dr7 >>> (16 + 4 * n)) & 3) == 0;
    }
}
