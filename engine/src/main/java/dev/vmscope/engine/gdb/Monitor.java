package dev.vmscope.engine.gdb;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.GuestCode;
import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.vmcs.Area;
import dev.vmscope.engine.vmcs.ExitExplanations;
import dev.vmscope.engine.vmcs.ExitInfoMapper;
import dev.vmscope.engine.vmcs.Explanation;
import dev.vmscope.engine.vmcs.HardwareExit;
import dev.vmscope.engine.vmcs.ViewText;
import dev.vmscope.engine.vmcs.VmcsFieldView;

import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.KernelEventsBefore;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * gdb's {@code monitor} commands that reach vmscope's own debugger: the exit list, the VMCS view and why the
 * latest exit happened (live or on a trace, up to where gdb stands), and on a live guest exit breakpoints
 * and stepping to the next exit. Each returns the text gdb prints. {@code monitor phys} and {@code monitor
 * help} are the stub's (see {@link GdbStub}).
 */
final class Monitor {
    /** How long kevents/vmcs wait for the kernel events of the latest exit to arrive (they lag by milliseconds). */
    private static final long KERNEL_WAIT_MS = 2000;

    static final String HELP = """
            monitor exits [N]               the last N exits (10)
            monitor break-exit REASON [cond] stop at an exit, e.g. break-exit IO port=0x3f8 (reported as SIGTRAP)
            monitor delete N                delete vmscope breakpoint N
            monitor step-exit               run the current vCPU to its next exit (then: maint flush register-cache)
            monitor why                     the latest exit and why it happened
            monitor vmcs [guest|host|control|exit|all]   the latest exit as VMCS fields
            monitor kevents [N]             the kernel's events (KVM tracepoints) before the latest exit (20)
            monitor status                  where the guest stands
            monitor phys on|off             m/M/X on guest-physical instead of linear addresses
            """;

    private final ExitSource exits;
    private final DebugSession session;
    private final GuestCode code;
    private final LongSupplier end;

    /**
     * @param session null on a trace
     * @param code    where an exit's instruction bytes come from (live memory, or a trace's code pages)
     * @param end     the exits gdb may see: those before this seq
     */
    Monitor(ExitSource exits, DebugSession session, GuestCode code, LongSupplier end) {
        this.exits = exits;
        this.session = session;
        this.code = code;
        this.end = end;
    }

    String run(String command, int vcpu) {
        String[] w = command.strip().split("\\s+", 2);
        String rest = w.length > 1 ? w[1].strip() : "";
        return switch (w[0].toLowerCase(Locale.ROOT)) {
            case "exits" -> exits(rest.isEmpty() ? 10 : (int) Math.min(1000, Long.decode(rest)));
            case "break-exit" -> {
                ExitBreakpoint b = live().addExitBreakpoint(rest);
                yield "breakpoint " + b.id() + ": exit " + b.spec() + "\n";
            }
            case "delete" -> live().deleteBreakpoint(Integer.decode(rest)) ? "deleted " + rest + "\n"
                    : "no breakpoint " + rest + "\n";
            case "step-exit" -> stepExit(vcpu);
            case "why" -> why(vcpu);
            case "vmcs" -> {
                ExitRecord r = latest(vcpu);
                awaitKernel(r);
                yield ViewText.vmcs(VmcsFieldView.of(r, instruction(r), HardwareExit.before(exits, r)),
                        Area.parse(rest.isEmpty() ? "all" : rest), false, false, exits.symbols());
            }
            case "kevents" -> kevents(vcpu, rest.isEmpty() ? 20 : (int) Math.min(10_000, Math.max(1, Long.decode(rest))));
            case "status" -> session != null ? session.state().describe() + "\n"
                    : "trace: exit #" + (end.getAsLong() - 1) + " of " + exits.size() + "\n";
            default -> throw new ProtocolException("unknown monitor command '" + w[0] + "' (monitor help)");
        };
    }

    private DebugSession live() {
        if (session == null) {
            throw new ProtocolException("a trace cannot be changed: this works on a live guest");
        }
        return session;
    }

    private byte[] instruction(ExitRecord r) {
        return code.instructionBytes(r);
    }

    private String exits(int n) {
        StringBuilder b = new StringBuilder();
        long size = Math.min(exits.size(), end.getAsLong());
        exits.scan(Math.max(0, size - n), size, r -> b.append(line(r)).append('\n'));
        return b.length() == 0 ? "no exits yet\n" : b.toString();
    }

    private String line(ExitRecord r) {
        return String.format("#%d vcpu %d %s %s rip=0x%x%s", r.seq(), r.vcpu(), r.reason().name(), r.exit().detail(),
                r.state().rip(), exits.symbols().suffix(r.state().codeLinearAddress()));
    }

    /** vCPU {@code vcpu}'s kernel events since its previous exit, up to its latest exit gdb may see. */
    private String kevents(int vcpu, int max) {
        KernelEvents k = exits.kernelEvents();
        if (!k.capture().on()) {
            return "kernel events: " + k.capture().note() + "\n";
        }
        ExitRecord r = latest(vcpu);
        awaitKernel(r);
        KernelEventsBefore before = KernelEventsBefore.of(exits, r, max);
        StringBuilder b = new StringBuilder(String.format("kernel events of vCPU %d before exit #%d:%n", vcpu, r.seq()));
        if (before.earlier() > 0) {
            b.append(String.format("    … %d earlier kernel events%n", before.earlier()));
        }
        before.events().forEach(e -> b.append(KernelEventsBefore.line(e)).append('\n'));
        return before.total() == 0 ? b.append("    none\n").toString() : b.toString();
    }

    /** A live run's kernel events lag its exits by milliseconds: wait for those before {@code r}. */
    private void awaitKernel(ExitRecord r) {
        try {
            exits.kernelEvents().awaitComplete(r.timeNs(), KERNEL_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String stepExit(int vcpu) {
        DebugSession session = live();
        session.stepExit(vcpu);
        try {
            SessionState st = session.awaitStop(30, TimeUnit.SECONDS);
            if (st == null) {
                return "still running after 30 s\n";
            }
            return st.seq() >= 0 && st.mode() == SessionState.Mode.PAUSED
                    ? "stopped: " + line(exits.get(st.seq())) + "\n" : st.describe() + "\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted\n";
        }
    }

    private String why(int vcpu) {
        ExitRecord r = latest(vcpu);
        byte[] insn = instruction(r);
        StringBuilder b = new StringBuilder(line(r)).append('\n');
        SessionState st = session != null ? session.state() : null;
        if (st != null && st.hit() != null && st.seq() == r.seq()) {
            b.append("stopped by breakpoint ").append(st.hit().breakpointId()).append(": ")
                    .append(st.hit().description()).append('\n');
        }
        for (Explanation e : ExitExplanations.forExit(ExitInfoMapper.map(r, insn))) {
            b.append(e.title()).append(": ").append(e.text()).append("\nRead: ").append(e.readMore()).append('\n');
        }
        return b.toString();
    }

    /** The latest exit of {@code vcpu}: the one its registers come from. */
    private ExitRecord latest(int vcpu) {
        long seq = exits.columns().previousOfVcpu(vcpu, Math.min(exits.size(), end.getAsLong()), Long.MAX_VALUE);
        if (seq < 0) {
            throw new ProtocolException("vCPU " + vcpu + " has not exited yet: step first");
        }
        return exits.get(seq);
    }
}
