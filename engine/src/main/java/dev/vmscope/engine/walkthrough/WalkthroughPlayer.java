package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.debug.SessionState;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Runs a live guest to a {@link Walkthrough.Step}'s stop through the session's ordinary commands (breakpoints,
 * continue, pause). The all-stop at a breakpoint is the session's: a step only waits for it.
 */
public final class WalkthroughPlayer {
    /** How long {@link #play(DebugSession, Walkthrough.Step)} waits for a step's stop. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private WalkthroughPlayer() {
    }

    /** {@link #play(DebugSession, Walkthrough.Step, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static SessionState play(DebugSession session, Walkthrough.Step step) throws InterruptedException {
        return play(session, step, DEFAULT_TIMEOUT);
    }

    /**
     * Runs the guest to the step's stop and returns the session's state there; blocks, so never call it on
     * a UI thread. START does nothing. BREAK adds the step's breakpoint (and for {@code exec} steps its
     * hardware breakpoint), continues, waits for the stop and deletes what it added. PAUSE continues, waits
     * {@link Walkthrough.Step#pauseMillis()} and pauses. END continues until the run is over, resuming past any
     * other exit breakpoint, but returns if the guest is paused by someone else.
     *
     * <p>Check {@link Walkthrough.Step#reached} on the result: the guest may stop elsewhere first (a breakpoint
     * of the user's, the end of the run). When nothing stops it within {@code timeout} the step pauses the guest
     * and returns that state. Interrupting the caller abandons the wait; the step's breakpoints are removed and
     * the guest keeps running. A finished session is returned as it is.
     */
    public static SessionState play(DebugSession session, Walkthrough.Step step, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SessionState now = session.state();
        if (now.mode() == SessionState.Mode.FINISHED) {
            return now;
        }
        return switch (step.kind()) {
            case START -> now;
            case BREAK -> runToBreakpoint(session, step, deadline);
            case PAUSE -> runAndPause(session, step.pauseMillis(), deadline);
            case END -> runToEnd(session, deadline);
        };
    }

    private static SessionState runToBreakpoint(DebugSession session, Walkthrough.Step step, long deadline)
            throws InterruptedException {
        ExitBreakpoint bp = session.addExitBreakpoint(step.breakpointSpec());
        AddressBreakpoint hw = null;
        try {
            if (step.codeAddress().isPresent()) {
                hw = session.addAddressBreakpoint(step.codeAddress().getAsLong(), AddressBreakpoint.Kind.EXECUTE, 1);
            }
            session.resume();
            long left = deadline - System.nanoTime();
            SessionState st = left > 0 ? session.awaitStop(left, TimeUnit.NANOSECONDS) : null;
            return st != null ? st : pauseNow(session);
        } finally {
            session.deleteBreakpoint(bp.id());
            if (hw != null) {
                session.deleteBreakpoint(hw.id());
            }
        }
    }

    private static SessionState runAndPause(DebugSession session, long millis, long deadline)
            throws InterruptedException {
        session.resume();
        Thread.sleep(millis);
        session.pause();
        long left = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        SessionState st = session.awaitStop(left, TimeUnit.NANOSECONDS);
        return st != null ? st : session.state();
    }

    private static SessionState runToEnd(DebugSession session, long deadline) throws InterruptedException {
        while (true) {
            session.resume();
            long left = deadline - System.nanoTime();
            SessionState st = left > 0 ? session.awaitStop(left, TimeUnit.NANOSECONDS) : null;
            if (st == null) {
                return pauseNow(session);
            }
            if (st.mode() == SessionState.Mode.FINISHED || st.reason() != SessionState.StopReason.BREAKPOINT) {
                return st;   // over, or paused on purpose by someone else
            }
        }
    }

    /** After a timeout: pause the guest so the caller gets a state it can show. */
    private static SessionState pauseNow(DebugSession session) throws InterruptedException {
        session.pause();
        SessionState st = session.awaitStop(2, TimeUnit.SECONDS);
        return st != null ? st : session.state();
    }
}
