package dev.vmscope.app.cli;

import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.Disassembler;
import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.vmcs.Area;
import dev.vmscope.engine.vmcs.HardwareExit;
import dev.vmscope.engine.vmcs.ViewText;
import dev.vmscope.engine.vmcs.VmcsFieldView;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The gdb-like text console over a {@link DebugSession}: one command per line, from a terminal or a
 * script. Output is plain and parseable; a bad command prints {@code error: …} and the session goes on.
 */
public final class DebugConsole {
    private static final long WAIT_SECONDS = 60;
    /** How long kevents/vmcs wait for the kernel events of the latest exit to arrive (they lag by milliseconds). */
    private static final long KERNEL_WAIT_MS = 2000;

    private final DebugSession session;
    private final PrintWriter out;
    private final String prompt;
    private int vcpu;

    public DebugConsole(DebugSession session, PrintWriter out, boolean interactive) {
        this.session = session;
        this.out = out;
        this.prompt = interactive ? "(vmscope) " : null;
    }

    /** Reads and runs commands until {@code quit} (then true) or the end of input (false). */
    public boolean run(BufferedReader in) throws IOException, InterruptedException {
        out.println(session.state().describe());
        while (true) {
            if (prompt != null) {
                out.print(prompt);
            }
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.flush();
                return false;
            }
            if (!execute(line)) {
                out.flush();
                return true;
            }
        }
    }

    /** Runs one command; false when the console should end. */
    public boolean execute(String line) throws InterruptedException {
        String cmd = line.strip();
        if (cmd.isEmpty() || cmd.startsWith("#")) {
            return true;
        }
        String[] w = cmd.split("\\s+");
        String name = w[0].toLowerCase(Locale.ROOT);
        if (name.startsWith("x/")) {
            name = "x";   // x/NxU ADDR: the format rides on the command word
        }
        try {
            switch (name) {
                case "quit", "q", "exit" -> {
                    return false;
                }
                case "help", "h" -> help();
                case "break", "b" -> breakCommand(cmd, w);
                case "info", "i" -> info(w);
                case "delete", "d" -> out.println(session.deleteBreakpoint(id(w)) ? "deleted " + w[1]
                        : "error: no breakpoint " + w[1]);
                case "enable", "disable" -> {
                    session.setBreakpointEnabled(id(w), w[0].equalsIgnoreCase("enable"));
                    out.println(w[0].toLowerCase(Locale.ROOT) + "d " + w[1]);
                }
                case "continue", "c", "cont", "run", "r" -> {
                    boolean background = cmd.endsWith("&");
                    session.resume();
                    if (background) {
                        out.println("running");
                    } else {
                        report(awaitStop());
                    }
                }
                case "pause", "interrupt" -> {
                    session.pause();
                    report(awaitStop());
                }
                case "stepexit", "se", "next", "n" -> repeat(w, () -> session.stepExit(vcpu));
                case "stepi", "si" -> repeat(w, () -> session.stepInstruction(vcpu));
                case "regs", "registers" -> regs(session.currentState(vcpu));
                case "vmcs" -> vmcs(w);
                case "x" -> examine(w);
                case "disas", "disassemble", "u" -> disas(w);
                case "vcpu", "cpu" -> selectVcpu(w);
                case "exits" -> exits(w);
                case "kevents", "ke" -> kevents(w);
                case "console" -> out.print(session.exits().console());
                case "status" -> out.println(session.state().describe());
                case "sleep" -> Thread.sleep(Math.min(60_000, number(w, 1)));
                default -> out.println("error: unknown command '" + w[0] + "' (try help)");
            }
        } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
            out.println("error: " + cmd + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        } catch (RuntimeException e) {
            out.println("error: " + cmd + ": " + VmscopeCommand.describe(e));
        }
        out.flush();
        return true;
    }

    private void help() {
        out.println("""
                break exit REASON [port=A[-B]] [addr=A[-B]] [index=MSR] [rip=A[-B]] [vcpu=N] [hit=N] [in|out|read|write]
                break addr ADDR [x|w|rw] [len=1|2|4|8]     hardware breakpoint (DR0-DR3)
                info breakpoints | delete N | enable N | disable N
                continue [&] | pause | stepexit [N] | stepi [N]
                regs | vmcs [guest|host|control|exit|all] | x/NxU ADDR (U: b h w g) | disas [ADDR] [N] | exits [N]
                kevents [N]     the kernel's events (KVM tracepoints) before the current exit, the last N (20)
                console
                vcpu N | status | sleep MS | quit""");
    }

    private void breakCommand(String cmd, String[] w) {
        if (w.length < 3) {
            throw new IllegalArgumentException("usage: break exit REASON [conditions] | break addr ADDR [x|w|rw]");
        }
        switch (w[1].toLowerCase(Locale.ROOT)) {
            case "exit" -> {
                String spec = cmd.substring(cmd.toLowerCase(Locale.ROOT).indexOf("exit") + 4).strip();
                ExitBreakpoint b = session.addExitBreakpoint(spec);
                out.println("breakpoint " + b.id() + ": exit " + b.spec());
            }
            case "addr", "address" -> {
                long addr = address(w[2]);
                String kind = w.length > 3 ? w[3] : "x";
                if (kind.equalsIgnoreCase("sw")) {
                    session.addSoftwareBreakpoint(addr);
                    return;
                }
                int len = 1;
                for (int i = 4; i < w.length; i++) {
                    if (w[i].startsWith("len=")) {
                        len = (int) GuestSpec.parseNumber(w[i].substring(4), "len", null);
                    }
                }
                AddressBreakpoint b = session.addAddressBreakpoint(addr, AddressBreakpoint.Kind.parse(kind), len);
                out.println("breakpoint " + b.id() + ": " + b);
            }
            default -> throw new IllegalArgumentException("break what? 'exit' or 'addr', not '" + w[1] + "'");
        }
    }

    private void info(String[] w) {
        if (w.length < 2 || w[1].startsWith("b")) {
            if (session.exitBreakpoints().isEmpty() && session.addressBreakpoints().isEmpty()) {
                out.println("no breakpoints");
            }
            for (ExitBreakpoint b : session.exitBreakpoints()) {
                out.printf("%d exit %s %s hits=%d%n", b.id(), b.spec(), b.enabled() ? "enabled" : "disabled",
                        b.matches());
            }
            for (AddressBreakpoint b : session.addressBreakpoints()) {
                out.printf("%d %s enabled%n", b.id(), b);
            }
        } else if (w[1].startsWith("r")) {
            regs(session.currentState(vcpu));
        } else {
            out.println(session.state().describe());
        }
    }

    private interface Action {
        void run();
    }

    private void repeat(String[] w, Action a) throws InterruptedException {
        long n = w.length > 1 ? number(w, 1) : 1;
        SessionState st = null;
        for (long i = 0; i < n; i++) {
            a.run();
            st = awaitStop();
            if (st == null || st.mode() != SessionState.Mode.PAUSED) {
                break;
            }
            if (n > 1) {
                report(st);
            }
        }
        if (n == 1 || st == null || st.mode() != SessionState.Mode.PAUSED) {
            report(st);
        }
    }

    private SessionState awaitStop() throws InterruptedException {
        SessionState st = session.awaitStop(WAIT_SECONDS, TimeUnit.SECONDS);
        if (st == null) {
            out.println("still running after " + WAIT_SECONDS + " s (use pause)");
        }
        return st;
    }

    /** One line per stop: {@code stopped: #seq vcpu N REASON detail rip=0x… [breakpoint …]}. */
    private void report(SessionState st) {
        if (st == null) {
            return;
        }
        if (st.mode() == SessionState.Mode.FINISHED) {
            out.println("finished: " + st.outcome().kind() + " — " + st.outcome().message());
            return;
        }
        if (st.seq() < 0) {
            out.println(st.describe());
            return;
        }
        ExitRecord r = session.exits().get(st.seq());
        vcpu = st.vcpu();
        StringBuilder b = new StringBuilder(String.format("stopped: #%d vcpu %d %s %s rip=0x%x%s", r.seq(), r.vcpu(),
                r.reason().name(), r.exit().detail(), r.state().rip(),
                session.exits().symbols().suffix(r.state().codeLinearAddress())));
        if (st.hit() != null) {
            b.append(" [breakpoint ").append(st.hit().breakpointId()).append(": ").append(st.hit().description())
                    .append(']');
        }
        out.println(b);
        try {
            List<Disassembler.Insn> next = session.disassemble(vcpu, null, 1);
            if (!next.isEmpty()) {
                out.printf("next: 0x%x %s%n", next.get(0).address(), next.get(0).text());
            }
        } catch (RuntimeException e) {
            // no code there to show (e.g. RIP outside RAM): the stop line says enough
        }
    }

    private void regs(GuestState s) {
        String[] names = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp"};
        long[] v = {s.rax(), s.rbx(), s.rcx(), s.rdx(), s.rsi(), s.rdi(), s.rsp(), s.rbp()};
        for (int i = 0; i < names.length; i++) {
            out.printf("%s=0x%016x%n", names[i], v[i]);
        }
        for (int i = 8; i <= 15; i++) {
            out.printf("r%d=0x%016x%n", i, s.r(i));
        }
        out.printf("rip=0x%016x%nrflags=0x%016x%n", s.rip(), s.rflags());
        for (var seg : dev.vmscope.engine.exit.StateLayout.Segment.values()) {
            var x = s.segment(seg);
            out.printf("%s=0x%04x base=0x%x limit=0x%x ar=0x%x%n", seg.name().toLowerCase(Locale.ROOT), x.selector(),
                    x.base(), x.limit(), x.vmxAccessRights());
        }
        out.printf("cr0=0x%x%ncr2=0x%x%ncr3=0x%x%ncr4=0x%x%ncr8=0x%x%nefer=0x%x%n", s.cr0(), s.cr2(), s.cr3(), s.cr4(),
                s.cr8(), s.efer());
        out.printf("gdtr=0x%x/0x%x%nidtr=0x%x/0x%x%n", s.gdtBase(), s.gdtLimit(), s.idtBase(), s.idtLimit());
    }

    /** The VMCS view of the current vCPU's latest exit: {@code vmcs [guest|host|control|exit|all]}. */
    private void vmcs(String[] w) throws InterruptedException {
        ExitRecord r = currentExit();
        byte[] insn = session.code().instructionBytes(r);
        java.util.Set<Area> areas = Area.parse(w.length > 1 ? w[1] : "all");
        session.exits().kernelEvents().awaitComplete(r.timeNs(), KERNEL_WAIT_MS);
        VmcsFieldView view = VmcsFieldView.of(r, insn, HardwareExit.before(session.exits(), r));
        out.print(ViewText.vmcs(view, areas, false, false, session.exits().symbols()));
    }

    /** {@code kevents [N]}: what the kernel did for the current vCPU since its previous exit (the last N events). */
    private void kevents(String[] w) throws InterruptedException {
        KernelEvents k = session.exits().kernelEvents();
        if (!k.capture().on()) {
            out.println("kernel events: " + k.capture().note());
            return;
        }
        ExitRecord r = currentExit();
        int max = (int) Math.min(Integer.MAX_VALUE, w.length > 1 ? number(w, 1) : 20);
        k.awaitComplete(r.timeNs(), KERNEL_WAIT_MS);
        out.printf("kernel events of vCPU %d before exit #%d:%n", r.vcpu(), r.seq());
        if (KernelEventLines.printBefore(out, session.exits(), r, max) == 0) {
            out.println("    none");
        }
    }

    /** The current vCPU's latest exit. */
    private ExitRecord currentExit() {
        SessionState st = session.state();
        long seq = st.vcpu() == vcpu ? st.seq() : -1;
        if (seq < 0) {
            seq = session.exits().columns().previousOfVcpu(vcpu, session.exits().size(), Long.MAX_VALUE);
        }
        if (seq < 0) {
            throw new IllegalArgumentException("vCPU " + vcpu + " has not exited yet: step first");
        }
        return session.exits().get(seq);
    }

    /** {@code x/16xb 0x1000}: count, format (x only), unit b/h/w/g. */
    private void examine(String[] w) {
        String spec = w[0].length() > 1 ? w[0].substring(2) : "";
        if (w.length < 2) {
            throw new IllegalArgumentException("usage: x/NxU ADDR");
        }
        int count = 1;
        int unit = 1;
        String digits = spec.replaceAll("[^0-9].*", "");
        if (!digits.isEmpty()) {
            count = Integer.parseInt(digits);
        }
        if (spec.endsWith("h")) {
            unit = 2;
        } else if (spec.endsWith("w")) {
            unit = 4;
        } else if (spec.endsWith("g")) {
            unit = 8;
        }
        if (count < 1 || count * unit > 65536) {
            throw new IllegalArgumentException("x shows 1 to 65536 bytes");
        }
        long addr = address(w[1]);
        byte[] bytes = session.readLinear(vcpu, addr, count * unit);
        int perLine = Math.max(1, 16 / unit);
        for (int i = 0; i < count; i += perLine) {
            StringBuilder b = new StringBuilder(String.format("0x%x:", addr + (long) i * unit));
            for (int j = i; j < Math.min(count, i + perLine); j++) {
                long v = 0;
                for (int k = unit - 1; k >= 0; k--) {
                    v = (v << 8) | (bytes[j * unit + k] & 0xFF);
                }
                b.append(String.format(" 0x%0" + (unit * 2) + "x", v));
            }
            out.println(b);
        }
    }

    private void disas(String[] w) {
        Long addr = w.length > 1 ? address(w[1]) : null;
        int n = w.length > 2 ? (int) number(w, 2) : 8;
        GuestState s = session.currentState(vcpu);
        long rip = DebugSession.codeAddress(s);
        SymbolTable symbols = session.exits().symbols();
        for (Disassembler.Insn i : session.disassemble(vcpu, addr, Math.min(n, 256))) {
            String label = symbols.label(i.address());
            if (label != null) {
                out.printf("%s:%n", label);
            }
            out.printf("%s0x%x: %-24s %s%n", i.address() == rip ? "=> " : "   ", i.address(),
                    HexFormat.of().formatHex(i.bytes()), i.text(symbols));
        }
    }

    private void selectVcpu(String[] w) {
        int v = (int) number(w, 1);
        if (v < 0 || v >= session.vcpuCount()) {
            throw new IllegalArgumentException("no vCPU " + v + " (this guest has " + session.vcpuCount() + ")");
        }
        vcpu = v;
        out.println("vcpu " + v);
    }

    private void exits(String[] w) {
        long n = w.length > 1 ? number(w, 1) : 10;
        long size = session.exits().size();
        session.exits().scan(Math.max(0, size - n), size, r -> out.printf("#%d vcpu %d %s %s rip=0x%x%s%n", r.seq(),
                r.vcpu(), r.reason().name(), r.exit().detail(), r.state().rip(),
                session.exits().symbols().suffix(r.state().codeLinearAddress())));
    }

    /** An address: a number, or a symbol of the guest's ({@code break addr putc}, {@code disas main}). */
    private long address(String text) {
        java.util.OptionalLong a = session.exits().symbols().address(text);
        if (a.isPresent()) {
            return a.getAsLong();
        }
        if (!text.isEmpty() && !Character.isDigit(text.charAt(0))) {
            throw new IllegalArgumentException("no symbol '" + text + "'" + (session.exits().symbols().isEmpty()
                    ? " (this guest has no symbols: give --symbols FILE)" : ""));
        }
        return GuestSpec.parseNumber(text, "address", null);
    }

    private static long number(String[] w, int i) {
        return GuestSpec.parseNumber(w[i], "number", null);
    }

    private static int id(String[] w) {
        return (int) number(w, 1);
    }
}
