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

    /**
     * How far back the views look for a vCPU's previous exit: past this, an exit is shown as that vCPU's first
     * (bounds the work of one selection in a run where one vCPU is silent for millions of exits).
     */
    long PREVIOUS_SEARCH_LIMIT = 4_000_000;

    /** The latest exit of vCPU {@code vcpu} before {@code seq}, looking back at most {@code limit} exits; -1 if none. */
    default long previousOfVcpu(int vcpu, long seq, long limit) {
        long stop = seq - limit < -1 ? -1 : seq - limit;
        for (long s = seq - 1; s > stop; s--) {
            if (vcpu(s) == vcpu) {
                return s;
            }
        }
        return -1;
    }

    /** The previous exit of the vCPU that made exit {@code seq}, within {@link #PREVIOUS_SEARCH_LIMIT}; -1 if none. */
    default long previousOfSameVcpu(long seq) {
        return previousOfVcpu(vcpu(seq), seq, PREVIOUS_SEARCH_LIMIT);
    }

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
