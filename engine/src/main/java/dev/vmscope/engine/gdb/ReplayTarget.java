package dev.vmscope.engine.gdb;

import dev.vmscope.engine.debug.GuestCode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.trace.ExitSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * gdb on a recorded trace: time travel exit by exit. gdb stands at one exit; each vCPU's registers are those
 * of its latest exit up to there. {@code stepi} moves the vCPU to its next exit, {@code reverse-stepi} to
 * its previous one; {@code continue} and {@code reverse-continue} move to the next (previous) exit whose
 * code address is a breakpoint's, or to the end (start) of the recording. Memory is what the trace kept: the
 * pages code ran from; everything else answers an error, never zeros. Nothing runs, so every move is
 * finished when it returns.
 */
final class ReplayTarget implements GdbTarget {
    private static final int SCAN_BLOCK = 4096;

    private final ExitSource trace;
    private final LongConsumer moved;
    private final Monitor monitor;
    private final Map<Integer, Long> breakpoints = new HashMap<>();
    private int nextId = 1;
    private long at;
    private Stop last;

    /** @param moved told each time gdb moves to another exit (the window selects it) */
    ReplayTarget(ExitSource trace, long start, LongConsumer moved) {
        if (trace.size() == 0) {
            throw new ProtocolException("the trace has no exits");
        }
        this.trace = trace;
        this.moved = moved;
        this.at = Math.max(0, Math.min(start, trace.size() - 1));
        this.last = new Stop(trace.get(at).vcpu(), Stop.Kind.STEP, 0, 0, null);
        this.monitor = new Monitor(trace, null, GuestCode.recorded(trace), () -> at + 1);
    }

    @Override
    public int vcpuCount() {
        return Math.max(1, trace.machine().vcpus());
    }

    /** The vCPU's latest exit at or before where gdb stands, or null before its first. */
    private ExitRecord latest(int vcpu) {
        long seq = trace.columns().vcpu(at) == vcpu ? at
                : trace.columns().previousOfVcpu(vcpu, at, Long.MAX_VALUE);
        return seq < 0 ? null : trace.get(seq);
    }

    @Override
    public GuestState state(int vcpu) {
        ExitRecord r = latest(vcpu);
        return r == null ? null : r.state();
    }

    @Override
    public void setState(int vcpu, long[] words) {
        throw readOnly();
    }

    private static ProtocolException readOnly() {
        return new ProtocolException("a recorded trace cannot be changed");
    }

    private byte[] memory(int vcpu, long linear, int len) {
        GuestState s = state(vcpu);
        if (s == null) {
            throw new ProtocolException("vCPU " + vcpu + " has no exit yet at this point of the trace");
        }
        return trace.codePages().readLinear(s, linear, len);
    }

    @Override
    public byte[] read(int vcpu, long address, int len, boolean physical) {
        if (physical) {
            throw new ProtocolException("a trace keeps code pages by linear address only (monitor phys off)");
        }
        List<byte[]> parts = new ArrayList<>();
        int done = 0;
        while (done < len) {
            long a = address + done;
            int chunk = (int) Math.min(len - done, 0x1000 - (a & 0xFFF));
            try {
                parts.add(memory(vcpu, a, chunk));
            } catch (RuntimeException e) {
                if (done == 0) {
                    throw new ProtocolException(e.getMessage());
                }
                break;
            }
            done += chunk;
        }
        byte[] out = new byte[done];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    @Override
    public void write(int vcpu, long address, byte[] data, boolean physical) {
        throw readOnly();
    }

    @Override
    public int insertBreakpoint(Breakpoint kind, long address, int length) {
        if (kind != Breakpoint.SOFTWARE && kind != Breakpoint.HARDWARE) {
            throw new ProtocolException("a trace has no data accesses to watch: only code breakpoints work here");
        }
        breakpoints.put(nextId, address);
        return nextId++;
    }

    @Override
    public void removeBreakpoint(int id) {
        breakpoints.remove(id);
    }

    @Override
    public Object resume(boolean reverse) {
        long found = reverse ? findBackward() : findForward();
        if (found >= 0) {
            return moveTo(found, Stop.Kind.HW_BREAK);
        }
        return moveTo(reverse ? 0 : trace.size() - 1, Stop.Kind.HISTORY_END, reverse ? -1 : 1);
    }

    @Override
    public Object step(int vcpu, boolean reverse) {
        long next = reverse ? trace.columns().previousOfVcpu(vcpu, at, Long.MAX_VALUE) : nextOfVcpu(vcpu);
        if (next < 0) {
            return new Stop(vcpu, Stop.Kind.HISTORY_END, 0, reverse ? -1 : 1, null);
        }
        return moveTo(next, Stop.Kind.STEP);
    }

    private long nextOfVcpu(int vcpu) {
        for (long s = at + 1; s < trace.size(); s++) {
            if (trace.columns().vcpu(s) == vcpu) {
                return s;
            }
        }
        return -1;
    }

    private Stop moveTo(long seq, Stop.Kind kind) {
        return moveTo(seq, kind, 0);
    }

    private Stop moveTo(long seq, Stop.Kind kind, int code) {
        at = seq;
        moved.accept(seq);
        return new Stop(trace.columns().vcpu(seq), kind, 0, code, null);
    }

    private boolean matches(ExitRecord r) {
        long rip = r.state().rip();
        long linear = r.state().codeLinearAddress();
        return breakpoints.containsValue(rip) || breakpoints.containsValue(linear);
    }

    private long findForward() {
        if (breakpoints.isEmpty()) {
            return -1;
        }
        for (long from = at + 1; from < trace.size(); from += SCAN_BLOCK) {
            long[] hit = {-1};
            trace.scan(from, Math.min(trace.size(), from + SCAN_BLOCK), r -> {
                if (hit[0] < 0 && matches(r)) {
                    hit[0] = r.seq();
                }
            });
            if (hit[0] >= 0) {
                return hit[0];
            }
        }
        return -1;
    }

    private long findBackward() {
        if (breakpoints.isEmpty()) {
            return -1;
        }
        for (long to = at; to > 0; to -= SCAN_BLOCK) {
            long[] hit = {-1};
            trace.scan(Math.max(0, to - SCAN_BLOCK), to, r -> {
                if (matches(r)) {
                    hit[0] = r.seq();   // the latest match in the block
                }
            });
            if (hit[0] >= 0) {
                return hit[0];
            }
        }
        return -1;
    }

    @Override
    public void interrupt() {
        // every move is over when it returns
    }

    @Override
    public Stop stopAfter(Object token) {
        last = (Stop) token;
        return last;
    }

    @Override
    public int currentVcpu() {
        return trace.columns().vcpu(at);
    }

    @Override
    public Stop lastStop() {
        return last;
    }

    @Override
    public boolean canReverse() {
        return true;
    }

    @Override
    public void onChange(Runnable wake) {
        // nothing changes unless gdb moves
    }

    @Override
    public String monitor(String command, int vcpu) {
        return monitor.run(command, vcpu);
    }

    @Override
    public void release(boolean kill) {
        breakpoints.clear();
    }
}
