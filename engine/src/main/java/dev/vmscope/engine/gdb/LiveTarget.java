package dev.vmscope.engine.gdb;

import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.debug.DebugListener;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.trace.Outcome;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * gdb on a live guest: every request goes to the {@link DebugSession} from the stub's own thread, exactly as
 * the console and the window's control thread do; nothing here runs on a vCPU thread or waits on one.
 * gdb's breakpoints are the session's address breakpoints (DR0-DR3, one owner, visible in vmscope's own
 * lists); Z0 is served by a debug register too, since int3 cannot be used on every host.
 */
final class LiveTarget implements GdbTarget {
    private static final int PAGE = 0x1000;

    private final DebugSession session;
    private final Monitor monitor;
    /** Breakpoint id (the session's) → what gdb asked for, so a hit is reported as gdb's kind. */
    private final Map<Integer, Breakpoint> inserted = new HashMap<>();
    /** RUNNING states the session reported; a run that saw one has really started. */
    private final AtomicInteger runningSeen = new AtomicInteger();
    private DebugListener listener;
    private final LongConsumer stopped;

    /** A run gdb started: the state before it, for telling its stop from the stop before it. */
    private static final class Run {
        final SessionState before;
        final int runningAtStart;
        boolean interrupted;

        Run(SessionState before, int runningAtStart) {
            this.before = before;
            this.runningAtStart = runningAtStart;
        }
    }

    private Run run;

    /** @param stopped told the exit of every stop reported to gdb (the window selects it) */
    LiveTarget(DebugSession session, LongConsumer stopped) {
        this.session = session;
        this.stopped = stopped;
        this.monitor = new Monitor(session.exits(), session, session.code(), () -> Long.MAX_VALUE);
    }

    @Override
    public int vcpuCount() {
        return session.vcpuCount();
    }

    @Override
    public GuestState state(int vcpu) {
        return session.currentState(vcpu);
    }

    @Override
    public void setState(int vcpu, long[] words) {
        session.setRegisters(vcpu, words);
    }

    @Override
    public byte[] read(int vcpu, long address, int len, boolean physical) {
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long at = address + done;
            int chunk = (int) Math.min(len - done, PAGE - (at & (PAGE - 1)));
            try {
                byte[] b = physical ? session.readPhysical(at, chunk) : session.readLinear(vcpu, at, chunk);
                System.arraycopy(b, 0, out, done, chunk);
            } catch (RuntimeException e) {
                if (done == 0) {
                    throw new ProtocolException(e.getMessage());
                }
                break;   // gdb takes the readable part
            }
            done += chunk;
        }
        return done == len ? out : Arrays.copyOf(out, done);
    }

    @Override
    public void write(int vcpu, long address, byte[] data, boolean physical) {
        try {
            if (physical) {
                session.writePhysical(address, data);
            } else {
                session.writeLinear(vcpu, address, data);
            }
        } catch (RuntimeException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    @Override
    public int insertBreakpoint(Breakpoint kind, long address, int length) {
        AddressBreakpoint.Kind k = switch (kind) {
            case SOFTWARE, HARDWARE -> AddressBreakpoint.Kind.EXECUTE;
            case WRITE_WATCH -> AddressBreakpoint.Kind.WRITE;
            case ACCESS_WATCH -> AddressBreakpoint.Kind.READ_WRITE;
            case READ_WATCH -> throw new ProtocolException("x86 debug registers cannot watch reads alone"
                    + " (use awatch)");
        };
        try {
            AddressBreakpoint b = session.addAddressBreakpoint(address, k, kind == Breakpoint.SOFTWARE
                    || kind == Breakpoint.HARDWARE ? 1 : length);
            synchronized (inserted) {
                inserted.put(b.id(), kind);
            }
            return b.id();
        } catch (RuntimeException e) {
            throw new ProtocolException(e.getMessage());
        }
    }

    @Override
    public void removeBreakpoint(int id) {
        session.deleteBreakpoint(id);
        synchronized (inserted) {
            inserted.remove(id);
        }
    }

    @Override
    public Object resume(boolean reverse) {
        noReverse(reverse);
        run = new Run(session.state(), runningSeen.get());
        session.resume();
        return run;
    }

    @Override
    public Object step(int vcpu, boolean reverse) {
        noReverse(reverse);
        run = new Run(session.state(), runningSeen.get());
        session.stepInstruction(vcpu);
        return run;
    }

    private static void noReverse(boolean reverse) {
        if (reverse) {
            throw new ProtocolException("reverse execution works on a recorded trace, not on a live guest");
        }
    }

    @Override
    public void interrupt() {
        if (run != null) {
            run.interrupted = true;
        }
        session.pause();
    }

    @Override
    public Stop stopAfter(Object token) {
        Run r = (Run) token;
        SessionState st = session.state();
        if (st.mode() == SessionState.Mode.RUNNING) {
            return null;
        }
        boolean started = runningSeen.get() != r.runningAtStart || !st.equals(r.before) || r.interrupted
                || st.mode() == SessionState.Mode.FINISHED;
        if (!started) {
            return null;
        }
        if (st.seq() >= 0) {
            stopped.accept(st.seq());
        }
        return stopOf(st);
    }

    @Override
    public Stop lastStop() {
        SessionState st = session.state();
        if (st.mode() == SessionState.Mode.RUNNING) {
            return new Stop(currentVcpu(), Stop.Kind.INTERRUPT, 0, 0, null);
        }
        Stop s = stopOf(st);
        return s.kind() == Stop.Kind.INTERRUPT && st.reason() == SessionState.StopReason.START
                ? new Stop(s.vcpu(), Stop.Kind.STEP, 0, 0, null) : s;
    }

    private Stop stopOf(SessionState st) {
        int vcpu = Math.max(0, st.vcpu());
        if (st.mode() == SessionState.Mode.FINISHED) {
            Outcome o = st.outcome();
            return new Stop(vcpu, o.kind().isFailure() ? Stop.Kind.FAILED : Stop.Kind.EXITED, 0, o.exitCode(),
                    o.message());
        }
        return switch (st.reason()) {
            case STEP -> new Stop(vcpu, Stop.Kind.STEP, 0, 0, null);
            case BREAKPOINT -> breakpointStop(vcpu, st.hit().breakpointId());
            default -> new Stop(vcpu, Stop.Kind.INTERRUPT, 0, 0, null);
        };
    }

    private Stop breakpointStop(int vcpu, int id) {
        Breakpoint kind;
        synchronized (inserted) {
            kind = inserted.get(id);
        }
        AddressBreakpoint b = session.addressBreakpoints().stream().filter(x -> x.id() == id).findFirst().orElse(null);
        if (kind == null) {
            // vmscope's own breakpoint (exit or address): a plain SIGTRAP, since gdb would take a hwbreak
            // stop where it has no breakpoint of its own for a spurious one and resume
            return new Stop(vcpu, Stop.Kind.EXIT_BREAK, 0, 0, null);
        }
        return switch (kind) {
            case SOFTWARE -> new Stop(vcpu, Stop.Kind.SW_BREAK, 0, 0, null);
            case HARDWARE -> new Stop(vcpu, Stop.Kind.HW_BREAK, 0, 0, null);
            case WRITE_WATCH -> new Stop(vcpu, Stop.Kind.WATCH, b == null ? 0 : b.address(), 0, null);
            default -> new Stop(vcpu, Stop.Kind.ACCESS_WATCH, b == null ? 0 : b.address(), 0, null);
        };
    }

    @Override
    public int currentVcpu() {
        return Math.max(0, session.state().vcpu());
    }

    @Override
    public boolean canReverse() {
        return false;
    }

    @Override
    public void onChange(Runnable wake) {
        listener = st -> {
            if (st.mode() == SessionState.Mode.RUNNING) {
                runningSeen.incrementAndGet();
            }
            wake.run();
        };
        session.addListener(listener);
    }

    @Override
    public String monitor(String command, int vcpu) {
        return monitor.run(command, vcpu);
    }

    @Override
    public void release(boolean kill) {
        if (listener != null) {
            session.removeListener(listener);
        }
        Integer[] ids;
        synchronized (inserted) {
            ids = inserted.keySet().toArray(Integer[]::new);
            inserted.clear();
        }
        for (int id : ids) {
            session.deleteBreakpoint(id);
        }
        if (kill) {
            session.stop();
        }
    }
}
