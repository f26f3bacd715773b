package dev.vmscope.engine.debug;

/**
 * Why software breakpoints are off. KVM's guest debugging should report an int3 as KVM_EXIT_DEBUG with
 * exception 3 when KVM_GUESTDBG_USE_SW_BP is set, but on PVM hosts (like vmscope's development host) it
 * ends in KVM_EXIT_INTERNAL_ERROR (emulation failure) instead; the hardware debug registers work.
 */
final class SoftwareBreakpoints {
    private SoftwareBreakpoints() {
    }

    static String unsupportedReason() {
        return "software (int3) breakpoints are not available: on this KVM an int3 under guest debugging ends in"
                + " KVM_EXIT_INTERNAL_ERROR instead of a debug exit; use a hardware breakpoint"
                + " (break addr ADDR x, up to four)";
    }
}
