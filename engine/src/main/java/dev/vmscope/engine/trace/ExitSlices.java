package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;

/**
 * Where each exit's slice lies on its vCPU's track, for the timeline exports: from entering KVM_RUN
 * ({@code timeNs - guestNs}) to the exit ({@code timeNs}). Should a slice start before the previous one on its
 * track ended (clock skew between vCPU threads), its start is moved to that end, so slices never overlap.
 * Feed exits in seq order; {@link #start} and {@link #end} then hold the last one's slice.
 */
final class ExitSlices {
    private final long[] trackEnd;
    long start;
    long end;

    ExitSlices(int vcpus) {
        trackEnd = new long[vcpus];
    }

    void next(ExitRecord r) {
        int v = r.vcpu();
        end = r.timeNs();
        start = Math.max(end - r.guestNs(), 0);
        if (v < trackEnd.length) {
            start = Math.max(start, trackEnd[v]);
            end = Math.max(end, start);
            trackEnd[v] = end;
        }
    }
}
