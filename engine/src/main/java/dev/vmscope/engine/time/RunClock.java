package dev.vmscope.engine.time;

import java.util.Arrays;

/**
 * The run's clock: nanoseconds the guest has been let run, counted from the first guest entry. Wall time in which
 * no vCPU runs (the window opened paused before the first instruction, a breakpoint stopped every vCPU, a step
 * ended) does not advance it, so a run's times and its axis show the run, not how long someone looked at it. Each
 * such stretch after the first entry is kept as a {@link Pause}.
 *
 * <p>vCPU threads report {@link #enter()} when they go from waiting to running and {@link #leave()} when they
 * start to wait (or end). Converting is cheap on the exit path: a running vCPU's exit cannot fall in a pause, so
 * {@link #sinceStart} subtracts one volatile total; kernel events, read later, go through {@link #runTimeOf}.
 */
public final class RunClock {
    private final long origin;
    private int running;
    private boolean started;
    private long pausedSince;
    private volatile long pausedTotal;
    /**
     * Per stretch of running: the wall time (System.nanoTime) it began and ended (MAX_VALUE while it goes on)
     * and the total paused before it; grows by doubling.
     */
    private long[] resumedAt = new long[8];
    private long[] stoppedAt = new long[8];
    private long[] totalAt = new long[8];
    private int resumes;
    private final Pauses pauses = new Pauses();

    /** A clock whose origin is {@code originNanos} ({@link System#nanoTime()}), stopped until a vCPU enters. */
    public RunClock(long originNanos) {
        origin = originNanos;
        pausedSince = originNanos;
    }

    /** A vCPU starts running (from waiting, or for the first time). */
    public synchronized void enter() {
        if (running++ > 0) {
            return;
        }
        long now = System.nanoTime();
        long gap = Math.max(0, now - pausedSince);
        if (started && gap > 0) {
            pauses.append(new Pause(pausedSince - origin - pausedTotal, gap));
        }
        started = true;
        pausedTotal += gap;
        if (resumes == resumedAt.length) {
            resumedAt = Arrays.copyOf(resumedAt, resumes * 2);
            stoppedAt = Arrays.copyOf(stoppedAt, resumes * 2);
            totalAt = Arrays.copyOf(totalAt, resumes * 2);
        }
        resumedAt[resumes] = now;
        stoppedAt[resumes] = Long.MAX_VALUE;
        totalAt[resumes] = pausedTotal;
        resumes++;
    }

    /** A vCPU stops running (waits for a command, or its thread ends). */
    public synchronized void leave() {
        if (running > 0 && --running == 0) {
            pausedSince = System.nanoTime();
            if (resumes > 0) {
                stoppedAt[resumes - 1] = pausedSince;
            }
        }
    }

    /**
     * Run time of wall time {@code nanos} read by a vCPU that is running (it has entered and not left), as at an
     * exit: no pause can begin or end while it runs, so one subtraction.
     */
    public long sinceStart(long nanos) {
        return nanos - origin - pausedTotal;
    }

    /**
     * Run time of any wall time {@code nanos} (kernel events, read after the fact): the pauses that had ended by
     * then are cut out; a time inside a pause maps to the pause's start; before the first entry, to 0.
     */
    public synchronized long runTimeOf(long nanos) {
        int i = lastResumeAtOrBefore(nanos);
        if (i < 0) {
            return 0;
        }
        long end = stoppedAt[i];
        long at = end != Long.MAX_VALUE && nanos - end > 0 ? end : nanos;   // inside a pause: its start
        return Math.max(0, at - origin - totalAt[i]);
    }

    private int lastResumeAtOrBefore(long nanos) {
        int lo = 0;
        int hi = resumes - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (resumedAt[mid] - nanos <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** The pauses so far, oldest first (a live view: it grows; reading it copies nothing). */
    public Pauses pauses() {
        return pauses;
    }
}
