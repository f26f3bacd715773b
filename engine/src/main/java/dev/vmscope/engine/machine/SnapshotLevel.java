package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.GuestConfigException;

/** How much guest state is captured at each exit. */
public enum SnapshotLevel {
    /** regs + sregs + events from kvm_run's sync area: no ioctl per exit. */
    FAST,
    /** plus debug registers, MSRs and MP state: three ioctls per exit. */
    FULL;

    public static SnapshotLevel parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "fast" -> FAST;
            case "full" -> FULL;
            default -> throw new GuestConfigException("unknown snapshot level '" + s + "' (use fast or full)");
        };
    }
}
