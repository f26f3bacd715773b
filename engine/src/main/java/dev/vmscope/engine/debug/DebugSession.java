package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.GuestDebugSettings;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.MachineListener;
import dev.vmscope.engine.machine.PageWalker;
import dev.vmscope.engine.machine.VcpuRunner;
import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A guest under the debugger: run, pause, step exit by exit or instruction by instruction, stop on exit
 * reasons and addresses. Every vCPU runs on its own thread; this class only sends them commands and
 * never waits on them (except {@link #awaitStop}, for consoles and tests). All-stop: when one vCPU hits a
 * breakpoint, the others are paused too.
 */
public final class DebugSession implements AutoCloseable {
    private final Machine machine;
    private final int vcpus;
    private volatile ExitBreakpoint[] exitBreakpoints = new ExitBreakpoint[0];
    private final List<AddressBreakpoint> addressBreakpoints = new ArrayList<>();
    private final List<DebugListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmscope-debug-events");
        t.setDaemon(true);
        return t;
    });
    private final SessionState.StopReason[] stopReason;
    private final BreakpointHit[] stopHit;
    private int nextBreakpointId = 1;
    /** Orders resume() against a breakpoint's all-stop (see resume). */
    private final Object control = new Object();
    private volatile Outcome finished;
    private SessionState state;

    private DebugSession(Machine machine) {
        this.machine = machine;
        this.vcpus = machine.config().vcpus();
        this.stopReason = new SessionState.StopReason[vcpus];
        this.stopHit = new BreakpointHit[vcpus];
        Arrays.fill(stopReason, SessionState.StopReason.START);
        this.state = new SessionState(SessionState.Mode.PAUSED, 0, -1, SessionState.StopReason.START, null, null);
        machine.addHook(this::onExit);
        machine.addListener(new MachineListener() {
            @Override
            public void vcpuStateChanged(int vcpu, boolean paused, long atSeq) {
                recompute();
            }

            @Override
            public void finished(Outcome outcome) {
                finished = outcome;
                recompute();
            }
        });
    }

    /** Builds the guest and stops it before its first instruction. */
    public static DebugSession launch(MachineConfig config) {
        Machine m = Machine.createPaused(config);
        DebugSession s = new DebugSession(m);
        m.start();
        return s;
    }

    /** Every exit so far, read-only; the same API a recorded trace offers. */
    public ExitSource exits() {
        return machine.store();
    }

    /** Receives the guest's serial output as it comes (on a vCPU thread: hand it on, never block). */
    public void addConsoleSink(Consumer<String> sink) {
        machine.addConsoleSink(sink);
    }

    /**
     * Records the session to a trace file from its first exit: call it before the guest runs. Closing the writer
     * ends the file.
     */
    public TraceWriter record(Path file) throws IOException {
        return TraceWriter.record(machine.store(), file);
    }

    /** Each vCPU as it is now, by id. */
    public List<VcpuStatus> vcpuStates() {
        List<VcpuRunner> rs = machine.vcpus();
        List<VcpuStatus> out = new ArrayList<>(rs.size());
        for (VcpuRunner r : rs) {
            out.add(new VcpuStatus(r.id(), r.isPaused(), r.ended(), r.lastSeq()));
        }
        return out;
    }

    /** Waits (never on a UI thread) for the run's outcome after {@link #stop} or its end; null on timeout. */
    public Outcome awaitOutcome(long timeout, TimeUnit unit) throws InterruptedException {
        return machine.awaitOutcome(timeout, unit);
    }

    public int vcpuCount() {
        return vcpus;
    }

    public void addListener(DebugListener l) {
        listeners.add(l);
    }

    public void removeListener(DebugListener l) {
        listeners.remove(l);
    }

    public synchronized SessionState state() {
        return state;
    }

    // ---- control (any thread; none of these block) ----

    /** Continue: every vCPU that can run, runs. */
    public void resume() {
        // one vCPU may hit a breakpoint before the next is resumed: the hit's all-stop waits for this lock,
        // so it pauses every vCPU after they all run, instead of pausing one that is then resumed
        synchronized (control) {
            for (VcpuRunner r : machine.vcpus()) {
                setReason(r.id(), SessionState.StopReason.NONE, null);
                r.resume(0);
            }
        }
    }

    /** Pause every vCPU, even one spinning in the guest without exits. */
    public void pause() {
        for (VcpuRunner r : machine.vcpus()) {
            setReason(r.id(), SessionState.StopReason.PAUSE, null);
            r.pause();
        }
    }

    public void pause(int vcpu) {
        setReason(vcpu, SessionState.StopReason.PAUSE, null);
        runner(vcpu).pause();
    }

    /** Run vCPU {@code vcpu} (only) to its next exit. */
    public void stepExit(int vcpu) {
        setReason(vcpu, SessionState.StopReason.STEP, null);
        runner(vcpu).resume(1);
    }

    /** Run one guest instruction on vCPU {@code vcpu} (KVM single-step); its exit is recorded like any other. */
    public void stepInstruction(int vcpu) {
        setReason(vcpu, SessionState.StopReason.STEP, null);
        runner(vcpu).resume(1, true);
    }

    public void stop() {
        machine.stop();
    }

    /** Waits (never call this on a UI thread) until the session is not running; null on timeout. */
    public synchronized SessionState awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (state.mode() == SessionState.Mode.RUNNING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return state;
    }

    private VcpuRunner runner(int vcpu) {
        if (vcpu < 0 || vcpu >= vcpus) {
            throw new GuestConfigException("no vCPU " + vcpu + " (this guest has " + vcpus + ")");
        }
        return machine.vcpus().get(vcpu);
    }

    private synchronized void setReason(int vcpu, SessionState.StopReason r, BreakpointHit hit) {
        stopReason[vcpu] = r;
        stopHit[vcpu] = hit;
    }

    // ---- breakpoints ----

    /** Adds a breakpoint on exit reason, e.g. {@code IO port=0x3f8 out}. */
    public synchronized ExitBreakpoint addExitBreakpoint(String spec) {
        ExitBreakpoint b = ExitBreakpoint.parse(nextBreakpointId, spec);
        nextBreakpointId++;
        ExitBreakpoint[] a = Arrays.copyOf(exitBreakpoints, exitBreakpoints.length + 1);
        a[a.length - 1] = b;
        exitBreakpoints = a;
        return b;
    }

    /** Adds a hardware breakpoint (DR0–DR3): at most four at once. */
    public synchronized AddressBreakpoint addAddressBreakpoint(long address, AddressBreakpoint.Kind kind, int length) {
        if (addressBreakpoints.size() >= 4) {
            throw new GuestConfigException("all four debug registers are in use: delete an address breakpoint first");
        }
        AddressBreakpoint b = new AddressBreakpoint(nextBreakpointId++, address, kind, length);
        addressBreakpoints.add(b);
        applyAddressBreakpoints();
        return b;
    }

    /**
     * Software (int3) breakpoints need KVM to report #BP to user space. vmscope probes whether this host
     * does (it does not on PVM, where int3 ends in KVM_EXIT_INTERNAL_ERROR) and says so instead of patching
     * guest code it could never stop at.
     */
    public AddressBreakpoint addSoftwareBreakpoint(long address) {
        throw new GuestConfigException(SoftwareBreakpoints.unsupportedReason(machine.config().kvmDevice()));
    }

    public synchronized boolean deleteBreakpoint(int id) {
        ExitBreakpoint[] a = Arrays.stream(exitBreakpoints).filter(b -> b.id() != id).toArray(ExitBreakpoint[]::new);
        boolean removed = a.length != exitBreakpoints.length;
        exitBreakpoints = a;
        if (addressBreakpoints.removeIf(b -> b.id() == id)) {
            applyAddressBreakpoints();
            removed = true;
        }
        return removed;
    }

    public synchronized void setBreakpointEnabled(int id, boolean on) {
        for (ExitBreakpoint b : exitBreakpoints) {
            if (b.id() == id) {
                b.setEnabled(on);
            }
        }
    }

    public List<ExitBreakpoint> exitBreakpoints() {
        return List.of(exitBreakpoints);
    }

    public synchronized List<AddressBreakpoint> addressBreakpoints() {
        return List.copyOf(addressBreakpoints);
    }

    private void applyAddressBreakpoints() {
        long[] addrs = new long[4];
        long dr7 = 0;
        for (int n = 0; n < addressBreakpoints.size(); n++) {
            AddressBreakpoint b = addressBreakpoints.get(n);
            addrs[n] = b.address();
            dr7 |= b.dr7Bits(n);
        }
        machine.setGuestDebug(dr7 == 0 ? GuestDebugSettings.NONE : new GuestDebugSettings(addrs, dr7));
    }

    /** On the vCPU thread, after every exit: does a breakpoint stop it here? */
    private boolean onExit(CapturedExit e) {
        for (ExitBreakpoint b : exitBreakpoints) {
            if (b.shouldStop(e)) {
                hit(e, new BreakpointHit(e.seq, b.id(), "exit " + b.spec()));
                return true;
            }
        }
        if (e.rawReason == KvmExitReason.DEBUG.code) {
            long dr6 = e.debugDr6();
            AddressBreakpoint b = hitSlot(dr6);
            if (b != null) {
                hit(e, new BreakpointHit(e.seq, b.id(), b.toString()));
                return true;
            }
        }
        return false;
    }

    private synchronized AddressBreakpoint hitSlot(long dr6) {
        for (int n = 0; n < addressBreakpoints.size(); n++) {
            if ((dr6 & (1L << n)) != 0) {
                return addressBreakpoints.get(n);
            }
        }
        return null;
    }

    private void hit(CapturedExit e, BreakpointHit h) {
        setReason(e.vcpu, SessionState.StopReason.BREAKPOINT, h);
        machine.store().addHit(h);
        synchronized (control) {
            for (VcpuRunner r : machine.vcpus()) {   // all-stop
                if (r.id() != e.vcpu) {
                    r.pause();
                }
            }
        }
    }

    // ---- state ----

    private synchronized void recompute() {
        SessionState next = compute();
        if (next.equals(state)) {
            return;
        }
        state = next;
        notifyAll();
        // queued under the lock, so listeners see states in the order they happened
        events.execute(() -> {
            for (DebugListener l : listeners) {
                l.stateChanged(next);
            }
        });
    }

    private SessionState compute() {
        Outcome o = finished;
        if (o != null) {
            return new SessionState(SessionState.Mode.FINISHED, -1, machine.store().size() - 1,
                    SessionState.StopReason.FINISHED, null, o);
        }
        List<VcpuRunner> rs = machine.vcpus();
        boolean anyPaused = false;
        for (VcpuRunner r : rs) {
            if (!r.ended() && !r.isPaused()) {
                return SessionState.running();
            }
            anyPaused |= r.isPaused();
        }
        if (!anyPaused) {
            return SessionState.running();   // every vCPU has ended: the finish report is on its way
        }
        int best = -1;
        for (VcpuRunner r : rs) {   // the vCPU that explains the stop: a breakpoint, else a step, else any
            int v = r.id();
            if (best < 0 || rank(stopReason[v]) > rank(stopReason[best])
                    || rank(stopReason[v]) == rank(stopReason[best]) && r.lastSeq() > rs.get(best).lastSeq()) {
                best = v;
            }
        }
        return new SessionState(SessionState.Mode.PAUSED, best, rs.get(best).lastSeq(), stopReason[best],
                stopHit[best], null);
    }

    private static int rank(SessionState.StopReason r) {
        return switch (r) {
            case BREAKPOINT -> 4;
            case STEP -> 3;
            case PAUSE -> 2;
            case START -> 1;
            default -> 0;
        };
    }

    // ---- guest state and memory (for views and consoles) ----

    /** vCPU {@code vcpu}'s state at its latest exit (or as it starts). */
    public GuestState currentState(int vcpu) {
        GuestState edited = runner(vcpu).editedState();
        if (edited != null) {
            return edited;
        }
        long seq = runner(vcpu).lastSeq();
        if (seq >= 0) {
            ExitRecord r = machine.store().get(seq);
            if (r != null) {
                return r.state();
            }
        }
        return machine.initialState(vcpu);
    }

    public byte[] readPhysical(long address, int length) {
        return machine.memory().read(address, length);
    }

    /** Reads guest memory at a linear address through vCPU {@code vcpu}'s page tables, page by page. */
    public byte[] readLinear(int vcpu, long linear, int length) {
        return PageWalker.readLinear(currentState(vcpu), machine.memory(), linear, length);
    }

    /** The bytes behind this guest's exits, read from its memory through each exit's own page tables. */
    public GuestCode code() {
        return GuestCode.live(machine.memory());
    }

    /** Writes guest memory at a linear address through vCPU {@code vcpu}'s page tables (a debugger's poke). */
    public void writeLinear(int vcpu, long linear, byte[] data) {
        PageWalker.writeLinear(currentState(vcpu), machine.memory(), linear, data);
    }

    public void writePhysical(long address, byte[] data) {
        machine.memory().write(address, data);
    }

    /**
     * Sets vCPU {@code vcpu}'s registers (the kvm_regs and kvm_sregs words of a snapshot) while it is paused;
     * KVM takes them at the next entry, and {@link #currentState} shows them until then.
     */
    public void setRegisters(int vcpu, long[] words) {
        if (!runner(vcpu).isPaused()) {
            throw new GuestConfigException("vCPU " + vcpu + " is not paused: registers can only be set while it is");
        }
        long[] now = currentState(vcpu).words();
        boolean sregs = !Arrays.equals(now, StateLayout.SREGS, StateLayout.EVENTS, words, StateLayout.SREGS,
                StateLayout.EVENTS);
        runner(vcpu).editState(Arrays.copyOf(words, now.length), sregs);
    }

    /** Instructions at {@code linear} (or at CS:RIP when null) in vCPU {@code vcpu}'s current code size. */
    public List<Disassembler.Insn> disassemble(int vcpu, Long linear, int count) {
        GuestState s = currentState(vcpu);
        long at = linear != null ? linear : codeAddress(s);
        int bytes = Math.min(count * 15, 4096);
        byte[] code;
        try {
            code = readLinear(vcpu, at, bytes);
        } catch (RuntimeException e) {
            // near the end of RAM: take what there is
            int n = (int) Math.min(bytes, machine.memory().contiguousFrom(at));
            code = n > 0 ? readLinear(vcpu, at, n) : new byte[0];
        }
        return Disassembler.disassemble(code, at, s.codeBits(), count);
    }

    /** The linear address of CS:RIP. */
    public static long codeAddress(GuestState s) {
        return s.codeLinearAddress();
    }

    @Override
    public void close() {
        machine.close();
        events.shutdown();
    }
}
