package dev.vmscope.engine.trace;

/**
 * Per-exit columns indexed by seq: when, which vCPU, which KVM exit reason (raw code, 255 = other).
 * What a timeline or a histogram needs, at 10 bytes per exit and no decoding.
 */
public interface ExitColumns {
    /**
     * The vCPU column's value for an exit a damaged trace file lost: its seq existed but nothing else is known
     * (reason reads 255, time repeats the exit before). Live runs never have one.
     */
    int LOST = 255;

    long size();

    long timeNs(long seq);

    int vcpu(long seq);

    int reasonCode(long seq);

    /** The first seq whose time is >= {@code timeNs} (binary search; times never decrease). */
    default long firstAtOrAfter(long timeNs) {
        long lo = 0;
        long hi = size();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (timeNs(mid) < timeNs) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
