package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;

import java.util.concurrent.TimeUnit;

/**
 * Where a walkthrough's steps stop on a recorded trace, so a replay selects each step's exit as the live run
 * does: an exit breakpoint stops at its hit-th matching exit after the previous step's stop, {@code end} at
 * the last exit, {@code pause N ms} at the first exit N ms of run time on. The bundled traces are recorded
 * while playing their walkthroughs ({@code debug --walkthrough}), so their {@code exec} steps find the #DB exit
 * of their hardware breakpoint; a trace recorded without the walkthrough has none: such a step shows the
 * guest's next exit and the next step counts on from the previous stop.
 */
public final class ReplayStops {
    /** Reads a trace in slices of this many exits, so a stop near the start costs little. */
    private static final int SLICE = 4096;

    /** Where a step stopped: exit {@code seq} (-1: none), the stop the next step counts from, and why. */
    public record Stop(long seq, long countFrom, String note) {
    }

    private ReplayStops() {
    }

    /** Step {@code step} played on {@code src} after the stop at exit {@code after} (-1: before the first exit). */
    public static Stop of(Walkthrough.Step step, ExitSource src, long after) {
        long n = src.size();
        return switch (step.kind()) {
            case START -> new Stop(-1, -1, "Before the first instruction.");
            case END -> new Stop(n - 1, n - 1, n == 0 ? "The trace has no exits." : "Stopped at exit #" + (n - 1) + ", the end of the run.");
            case PAUSE -> pause(src, after, step.pauseMillis());
            case BREAK -> breakpoint(step, src, after);
        };
    }

    private static Stop pause(ExitSource src, long after, long millis) {
        ExitColumns c = src.columns();
        long n = c.size();
        if (n == 0) {
            return new Stop(-1, after, "The trace has no exits.");
        }
        long from = after < 0 ? c.timeNs(0) : c.timeNs(after);
        long seq = Math.min(n - 1, c.firstAtOrAfter(from + TimeUnit.MILLISECONDS.toNanos(millis)));
        return new Stop(seq, seq, "Stopped at exit #" + seq + ", " + millis + " ms of run time on.");
    }

    private static Stop breakpoint(Walkthrough.Step step, ExitSource src, long after) {
        ExitBreakpoint bp = ExitBreakpoint.parse(0, step.breakpointSpec());
        long seq = firstStop(bp, src, after + 1);
        if (seq >= 0) {
            return new Stop(seq, seq, "Stopped at exit #" + seq + " (" + step.breakpointSpec() + ").");
        }
        if (step.codeAddress().isPresent() && after + 1 < src.size()) {
            long next = after + 1;
            return new Stop(next, after, String.format("The trace has no #DB exit at 0x%x (it was recorded without "
                    + "the hardware breakpoint): shown at exit #%d, the guest's next exit.", step.codeAddress().getAsLong(),
                    next));
        }
        return new Stop(-1, after, "Not in the trace: no exit after #" + after + " matches " + step.breakpointSpec() + ".");
    }

    /** The seq where {@code bp} stops a run read from {@code from} on (its hit count honoured), or -1. */
    static long firstStop(ExitBreakpoint bp, ExitSource src, long from) {
        long[] left = {bp.ignoreCount() + 1};
        long[] found = {-1};
        long n = src.size();
        for (long at = Math.max(0, from); at < n && found[0] < 0; at += SLICE) {
            src.scan(at, Math.min(n, at + SLICE), r -> {
                if (found[0] < 0 && bp.matches(r) && --left[0] == 0) {
                    found[0] = r.seq();
                }
            });
        }
        return found[0];
    }

}
