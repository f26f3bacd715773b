package dev.vmscope.engine.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one read API over a run's kernel events, live or from a trace file (as {@code ExitSource} is for
 * exits). Events are numbered 0 … size()-1 in time order; each also has a place k among its own vCPU's events.
 * Times use the capture's clock: nanoseconds since the run started, the same scale as exit times, so "the
 * kernel events between two exits of a vCPU" is a range of times. Safe from any thread while a live run
 * appends; indices never move once published.
 */
public interface KernelEvents {
    /** No kernel events (not asked for, or not available), with why. */
    static KernelEvents none(String why) {
        return new KernelEventStore(null, 0, new KernelCapture(false, why));
    }

    /** Whether the run captured kernel events, and a line saying why not or what the host withholds. */
    KernelCapture capture();

    /** Events published so far. */
    long size();

    long timeNs(long index);

    int vcpu(long index);

    /** The tracepoint's name, without decoding the event. */
    String name(long index);

    /** Event {@code index}, decoded (allocates: not for per-frame loops over millions). */
    KernelEvent get(long index);

    /**
     * Every event up to this time (same clock as {@link #timeNs}) is published: a live reader lags the guest
     * by a few milliseconds. Long.MAX_VALUE once the run (or the trace) is complete.
     */
    long completeUntilNs();

    /**
     * Waits (at most {@code timeoutMillis}) until every event up to {@code timeNs} is published, for a view
     * of a paused guest that wants the kernel's side of its latest exit; true when it is. Polls: the live
     * reader publishes every few milliseconds.
     */
    default boolean awaitComplete(long timeNs, long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (completeUntilNs() < timeNs) {
            if (System.nanoTime() - end >= 0) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    /** Events the kernel lost (its ring buffer was full), as it reported them. */
    long lost();

    /** Published events per tracepoint name, in first-seen order. */
    Map<String, Long> countsByName();

    /** Events of vCPU {@code vcpu} published so far. */
    long countOf(int vcpu);

    /** The index of vCPU {@code vcpu}'s {@code k}-th event. */
    long indexOf(int vcpu, long k);

    /** The first k (place among vCPU {@code vcpu}'s events) whose time is > {@code timeNs}; countOf(vcpu) if none. */
    long firstOfVcpuAfter(int vcpu, long timeNs);

    /** The first index whose time is >= {@code timeNs}; size() if none. */
    long firstAtOrAfter(long timeNs);

    /**
     * vCPU {@code vcpu}'s events with {@code afterNs < time <= untilNs}, decoded, at most {@code max} of them
     * (the latest ones when there are more): "what the kernel did between two user-space exits".
     */
    default List<KernelEvent> between(int vcpu, long afterNs, long untilNs, int max) {
        long from = firstOfVcpuAfter(vcpu, afterNs);
        long to = firstOfVcpuAfter(vcpu, untilNs);
        from = Math.max(from, to - Math.max(max, 0));
        List<KernelEvent> out = new ArrayList<>((int) Math.max(0, to - from));
        for (long k = from; k < to; k++) {
            out.add(get(indexOf(vcpu, k)));
        }
        return out;
    }

    /** How many of vCPU {@code vcpu}'s events have {@code afterNs < time <= untilNs}, without decoding. */
    default long countBetween(int vcpu, long afterNs, long untilNs) {
        return firstOfVcpuAfter(vcpu, untilNs) - firstOfVcpuAfter(vcpu, afterNs);
    }

    /** Told of new events (a batch at a time, on the reader's thread: keep it short). */
    void addListener(Listener l);

    void removeListener(Listener l);

    /** Batches of new kernel events, never one call per event. */
    interface Listener {
        /** Events {@code from} (inclusive) to {@code to} (exclusive) were published. */
        void onEvents(long from, long to);
    }
}
