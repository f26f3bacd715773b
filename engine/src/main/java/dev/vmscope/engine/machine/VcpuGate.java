package dev.vmscope.engine.machine;

import dev.vmscope.engine.time.RunClock;

/**
 * The run state of one vCPU thread: running, paused (waiting for a command) or stopped. Other threads
 * change it; the vCPU thread obeys it between exits. Pausing a vCPU that is inside the guest also needs a
 * kick (see {@link VcpuRunner#pause()}). It tells the run's clock when its thread starts and stops waiting, under
 * the same lock as the state, so no pause is missed by the clock.
 */
final class VcpuGate {
    enum State { RUNNING, PAUSED, STOPPED }

    private State state;
    private long exitsToRun;   // >0: pause again after this many exits (stepping)
    private boolean singleStep;
    /** False from the moment the vCPU thread is let through into the guest until its exit is recorded. */
    private boolean outside = true;
    private final RunClock clock;
    /** Whether the clock counts this vCPU as running. */
    private boolean counted;

    VcpuGate(boolean startPaused, RunClock clock) {
        state = startPaused ? State.PAUSED : State.RUNNING;
        this.clock = clock;
    }

    synchronized State state() {
        return state;
    }

    /** Paused and really out of the guest: a pause asked for while it runs counts once its exit is recorded. */
    synchronized boolean pausedOutside() {
        return state == State.PAUSED && outside;
    }

    /** The vCPU thread is back from KVM_RUN with nothing (more) to record. */
    synchronized void left() {
        outside = true;
    }

    /**
     * Blocks while paused, running {@code whilePaused} (under this lock, so keep it short) before each wait:
     * the vCPU thread seals its open chunk there, whichever way the pause came. Returns false once stopped.
     */
    synchronized boolean awaitRun(Runnable whilePaused) throws InterruptedException {
        if (state != State.RUNNING) {
            notRunning();
        }
        while (state == State.PAUSED) {
            whilePaused.run();
            wait();
        }
        outside = state != State.RUNNING;
        if (state == State.RUNNING && !counted) {
            clock.enter();
            counted = true;
        }
        return state == State.RUNNING;
    }

    /** The vCPU thread waits or ends: the clock stops once no vCPU runs. */
    synchronized void notRunning() {
        if (counted) {
            clock.leave();
            counted = false;
        }
    }

    /** Returns true if the state changed. */
    synchronized boolean pause() {
        if (state == State.RUNNING) {
            state = State.PAUSED;
            exitsToRun = 0;
            return true;
        }
        return false;
    }

    /** Resumes; {@code exits} > 0 pauses again after that many exits. */
    synchronized boolean resume(long exits, boolean step) {
        if (state != State.PAUSED) {
            return false;
        }
        state = State.RUNNING;
        exitsToRun = exits;
        singleStep = step;
        notifyAll();
        return true;
    }

    synchronized boolean singleStep() {
        return singleStep;
    }

    synchronized void stop() {
        state = State.STOPPED;
        notifyAll();
    }

    /** After each exit: pause when a hook asked to, or when a step has run its exits. Returns true if paused. */
    synchronized boolean afterExit(boolean hookWantsPause) {
        outside = true;
        if (state != State.RUNNING) {
            return state == State.PAUSED;
        }
        if (exitsToRun > 0 && --exitsToRun == 0) {
            hookWantsPause = true;
        }
        if (hookWantsPause) {
            state = State.PAUSED;
            exitsToRun = 0;
            singleStep = false;
            return true;
        }
        return false;
    }
}
