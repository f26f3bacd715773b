package dev.vmscope.engine.machine;

import dev.vmscope.engine.machine.io.IoBus;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.kvm.KvmException;
import dev.vmscope.engine.kvm.Vcpu;
import dev.vmscope.engine.sys.KvmGuestDebug;
import dev.vmscope.engine.sys.KvmIoctls;
import dev.vmscope.engine.sys.KvmRunLayout;
import dev.vmscope.engine.time.RunClock;
import dev.vmscope.engine.trace.Outcome;

import java.nio.ByteBuffer;

/**
 * One vCPU thread: enter the guest, serve the exit, record it, let the hooks look, obey the gate. This is
 * the hot path: everything it touches per exit is preallocated.
 */
public final class VcpuRunner implements Runnable {
    private final Machine machine;
    private final Vcpu vcpu;
    private final VcpuGate gate;
    private final CapturedExit exit = new CapturedExit();
    private final FullStateReader full;
    private final ByteBuffer run;
    private final long[] msrScratch = new long[1];
    private volatile boolean ended;
    private volatile long lastSeq = -1;
    private volatile GuestDebugSettings debugWanted = GuestDebugSettings.NONE;
    private volatile GuestState edited;
    private volatile boolean editedSregs;
    /** Set by {@link #wakeToSeal()}: the next EINTR is that kick, not a pause, and records no exit. */
    private volatile boolean sealKick;
    private final Runnable sealOpenChunk;
    private final String outOfMemory;
    private GuestDebugSettings debugApplied = GuestDebugSettings.NONE;
    private boolean stepApplied;
    private boolean resumeOverBreakpoint;
    private boolean steppingOver;
    private Thread thread;

    VcpuRunner(Machine machine, Vcpu vcpu, boolean startPaused) {
        this.machine = machine;
        this.vcpu = vcpu;
        this.gate = new VcpuGate(startPaused, machine.clock());
        this.full = machine.config().snapshot() == SnapshotLevel.FULL ? new FullStateReader(vcpu) : null;
        this.run = vcpu.runBuffer();
        exit.vcpu = vcpu.id();
        int id = vcpu.id();
        this.sealOpenChunk = () -> machine.store().flush(id);
        this.outOfMemory = "vCPU " + id + " ran out of Java heap: run with a larger -Xmx or a lower --live-exits";
    }

    public int id() {
        return vcpu.id();
    }

    Vcpu vcpu() {
        return vcpu;
    }

    VcpuGate gate() {
        return gate;
    }

    /** True once this vCPU's thread has finished (halted, stopped or failed). */
    public boolean ended() {
        return ended;
    }

    void start() {
        thread = new Thread(this, "vcpu-" + vcpu.id());
        thread.setDaemon(true);
        thread.start();
    }

    void join(long millis) throws InterruptedException {
        if (thread != null) {
            thread.join(millis);
        }
    }

    /** Asks the vCPU to stop at the next opportunity, even if the guest never exits. */
    public void pause() {
        if (gate.pause()) {
            vcpu.kick();   // the vCPU thread reports the pause once it is really out of the guest
            if (gate.pausedOutside()) {
                // it was between two exits, past reporting its last one: no exit will report this pause
                machine.vcpuStateChanged(this);
            }
        }
    }

    /** Resumes a paused vCPU; {@code exits} > 0 pauses again after that many exits. */
    public void resume(long exits) {
        resume(exits, false);
    }

    /**
     * Resumes; with {@code singleStep} KVM traps after one guest instruction (that exit, or an earlier one
     * the instruction causes, is then the next exit).
     */
    public void resume(long exits, boolean singleStep) {
        if (gate.resume(exits, singleStep)) {
            machine.vcpuStateChanged(this);
        }
    }

    /** The seq of this vCPU's latest exit, or -1 before its first. */
    public long lastSeq() {
        return lastSeq;
    }

    /**
     * Registers a debugger set while paused (regs and sregs words of a snapshot): written into the sync-regs
     * area with their dirty bits before the next entry, so KVM takes them without another ioctl.
     */
    public void editState(long[] words, boolean sregsChanged) {
        editedSregs = sregsChanged;
        edited = new GuestState(words.clone());
    }

    /** The registers a debugger set that the guest has not run with yet, or null. */
    public GuestState editedState() {
        return edited;
    }

    /** Hardware breakpoints to use from the next guest entry on. */
    void setGuestDebug(GuestDebugSettings s) {
        debugWanted = s;
    }

    /** Paused and out of the guest, its latest exit recorded (not merely asked to pause). */
    public boolean isPaused() {
        return gate.pausedOutside() && !ended;
    }

    void stop() {
        gate.stop();
        vcpu.kick();
    }

    /**
     * Kicks a vCPU that spins in the guest out of KVM_RUN so that its thread seals its open chunk (a trace
     * writer found it quiet); the guest goes on at once and the kick is no exit of its. A paused vCPU has
     * sealed already.
     */
    void wakeToSeal() {
        sealKick = true;
        vcpu.kick();
    }

    /** Back from KVM_RUN with nothing to record: if a pause came meanwhile, say so now since no exit will. */
    private void leftWithoutExit() {
        gate.left();
        if (gate.state() == VcpuGate.State.PAUSED) {
            machine.vcpuStateChanged(this);
        }
    }

    @Override
    public void run() {
        vcpu.bindToCurrentThread();
        machine.vcpuThreadStarted(vcpu.id(), vcpu.tid());
        vcpu.enableSyncRegs();
        RunClock clock = machine.clock();
        CodeSampler code = new CodeSampler(machine.store(), machine.memory());
        try {
            while (gate.awaitRun(sealOpenChunk)) {
                prepareEntry();
                long t0 = System.nanoTime();
                Vcpu.RunResult result = vcpu.run();
                long t1 = System.nanoTime();
                if (result == Vcpu.RunResult.RETRY) {
                    leftWithoutExit();   // not an exit: KVM changed the vCPU's state (an AP got INIT) before entering
                    continue;
                }
                boolean entered = result == Vcpu.RunResult.EXIT;
                if (!entered && isSealKick()) {
                    machine.store().flush(vcpu.id());
                    leftWithoutExit();   // a pause may have come with the kick: it then reports itself
                    continue;
                }
                int reason = entered ? vcpu.exitReason() : KvmExitReason.INTR.code;
                if (isStepOverTrap(entered, reason)) {
                    leftWithoutExit();   // paused during the hidden step: say so
                    continue;
                }
                serve(reason);
                capture(reason, clock.sinceStart(t1), t1 - t0);
                machine.store().append(exit);
                if (machine.store().keepsCode()) {
                    code.sample(exit);           // a recording keeps the code each exit ran
                }
                lastSeq = exit.seq;
                noteBreakpointExit(reason);
                boolean pause = machine.runHooks(exit);
                long max = machine.config().maxExits();
                if (max > 0 && exit.seq + 1 >= max) {
                    machine.finish(new Outcome(Outcome.Kind.EXIT_LIMIT, 0, exit.seq,
                            "stopped after " + max + " exits (--max-exits)"));
                }
                if (endsVcpu(reason)) {
                    break;
                }
                if (gate.afterExit(pause)) {
                    machine.store().flush(vcpu.id());   // a paused vCPU's exits go to the trace file now
                    machine.vcpuStateChanged(this);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (KvmException e) {
            machine.finish(new Outcome(Outcome.Kind.ERROR, 0, exit.seq, e.getMessage()));
        } catch (RuntimeException e) {
            machine.finish(new Outcome(Outcome.Kind.ERROR, 0, exit.seq, "vCPU " + vcpu.id() + ": " + e));
        } catch (OutOfMemoryError e) {
            // the heap ran out despite the live bound (other users of it, a tiny -Xmx): end the run in one line,
            // never a dead thread and a run that waits for --timeout (the message was built while there was room)
            machine.releaseHeapReserve();   // first: even the outcome below needs a few bytes
            machine.finish(new Outcome(Outcome.Kind.ERROR, 0, exit.seq, outOfMemory));
        } finally {
            gate.notRunning();
            vcpu.unbindThread();
            try {
                machine.store().flush(vcpu.id());
            } catch (OutOfMemoryError e) {
                // no room to seal: its open chunk stays readable where it is
            }
            ended = true;
            machine.vcpuEnded(this);
        }
    }

    /**
     * Applies changed guest-debug settings (breakpoints, single step) on this thread, before KVM_RUN. Resuming
     * from an execute breakpoint steps over it first: one single-step with the breakpoints off (the CPU's
     * RFLAGS.RF is not honoured by every KVM, PVM among them), then the breakpoints return.
     */
    private void prepareEntry() {
        GuestState e = edited;
        if (e != null) {
            int words = editedSregs ? StateLayout.EVENTS : StateLayout.SREGS;   // kvm_regs, then kvm_sregs
            for (int i = 0; i < words; i++) {
                run.putLong(KvmRunLayout.SYNC_REGS + 8 * i, e.word(i));
            }
            run.putLong(KvmRunLayout.KVM_DIRTY_REGS, KvmIoctls.KVM_SYNC_X86_REGS
                    | (editedSregs ? KvmIoctls.KVM_SYNC_X86_SREGS : 0));
            edited = null;
        }
        GuestDebugSettings want = debugWanted;
        boolean step = gate.singleStep();
        if (resumeOverBreakpoint) {
            resumeOverBreakpoint = false;
            steppingOver = !step;   // the user's own step needs no hiding
            want = GuestDebugSettings.NONE;
            step = true;
        }
        if (want != debugApplied || step != stepApplied) {
            KvmGuestDebug d = new KvmGuestDebug();
            if (want.dr7() != 0 || step) {
                d.control = KvmIoctls.KVM_GUESTDBG_ENABLE | (step ? KvmIoctls.KVM_GUESTDBG_SINGLESTEP : 0)
                        | (want.dr7() != 0 ? KvmIoctls.KVM_GUESTDBG_USE_HW_BP : 0);
                System.arraycopy(want.addresses(), 0, d.debugreg, 0, 4);
                d.debugreg[7] = want.dr7();
            }
            vcpu.setGuestDebug(d);
            debugApplied = want;
            stepApplied = step;
        }
    }

    /**
     * True when this EINTR is only {@link #wakeToSeal()}'s kick. Not when a pause or stop came too: then it is
     * their exit, recorded as ever. A step-over it interrupted is redone.
     */
    private boolean isSealKick() {
        if (!sealKick || gate.state() != VcpuGate.State.RUNNING) {
            return false;
        }
        sealKick = false;
        if (steppingOver) {
            steppingOver = false;
            resumeOverBreakpoint = true;
        }
        return true;
    }

    /** True for the single-step trap of a step-over: the debugger's own doing, not the guest's, so not recorded. */
    private boolean isStepOverTrap(boolean entered, int reason) {
        if (!steppingOver) {
            return false;
        }
        steppingOver = false;
        return entered && reason == KvmExitReason.DEBUG.code
                && (run.getLong(KvmRunLayout.unionWord(KvmRunLayout.DEBUG_WORD_DR6)) & KvmRunLayout.DR6_SINGLE_STEP) != 0;
    }

    private void noteBreakpointExit(int reason) {
        if (reason == KvmExitReason.DEBUG.code) {
            long dr6 = exit.debugDr6();
            for (int n = 0; n < 4; n++) {
                if ((dr6 & (1L << n)) != 0 && debugApplied.isExecute(n)) {
                    resumeOverBreakpoint = true;
                }
            }
        }
    }

    /** Plays the devices' part for this exit, before it is recorded, so IN and RDMSR record what the guest got. */
    private void serve(int reason) {
        if (reason == KvmExitReason.IO.code) {
            serveIo();
        } else if (reason == KvmExitReason.MMIO.code) {
            if (run.get(KvmRunLayout.MMIO_IS_WRITE) == 0) {
                run.putLong(KvmRunLayout.MMIO_DATA, -1L); // unmapped: open bus
            }
        } else if (reason == KvmExitReason.X86_RDMSR.code) {
            int index = run.getInt(KvmRunLayout.MSR_INDEX);
            boolean ok = machine.readMsr(vcpu, index, msrScratch);
            run.put(KvmRunLayout.MSR_ERROR, (byte) (ok ? 0 : 1));
            run.putLong(KvmRunLayout.MSR_DATA, ok ? msrScratch[0] : 0);
        } else if (reason == KvmExitReason.X86_WRMSR.code) {
            boolean ok = machine.writeMsr(vcpu, run.getInt(KvmRunLayout.MSR_INDEX), run.getLong(KvmRunLayout.MSR_DATA));
            run.put(KvmRunLayout.MSR_ERROR, (byte) (ok ? 0 : 1));
        }
    }

    private void serveIo() {
        boolean out = run.get(KvmRunLayout.IO_DIRECTION) == 1;
        int size = run.get(KvmRunLayout.IO_SIZE);
        int port = run.getShort(KvmRunLayout.IO_PORT) & 0xFFFF;
        int count = run.getInt(KvmRunLayout.IO_COUNT);
        long off = run.getLong(KvmRunLayout.IO_DATA_OFFSET);
        if (size != 1 && size != 2 && size != 4 || count < 0 || off < 0
                || off + (long) size * count > run.capacity()) {
            throw new KvmException(String.format("KVM_EXIT_IO with a bad layout (size %d count %d offset %d)",
                    size, count, off));
        }
        IoBus bus = machine.io();
        for (int i = 0; i < count; i++) {
            int at = (int) off + i * size;
            if (out) {
                long v = switch (size) {
                    case 1 -> run.get(at) & 0xFFL;
                    case 2 -> run.getShort(at) & 0xFFFFL;
                    default -> run.getInt(at) & 0xFFFFFFFFL;
                };
                bus.out(port, size, v);
            } else {
                long v = bus.in(port, size);
                switch (size) {
                    case 1 -> run.put(at, (byte) v);
                    case 2 -> run.putShort(at, (short) v);
                    default -> run.putInt(at, (int) v);
                }
            }
        }
    }

    private void capture(int reason, long timeNs, long guestNs) {
        CapturedExit e = exit;
        e.rawReason = reason;
        e.timeNs = timeNs;
        e.guestNs = guestNs;
        int words = KvmExitReason.of(reason).payloadWords;
        for (int i = 0; i < words; i++) {
            e.payload[i] = run.getLong(KvmRunLayout.unionWord(i));
        }
        e.ioLength = 0;
        if (reason == KvmExitReason.IO.code) {
            int len = run.get(KvmRunLayout.IO_SIZE) * run.getInt(KvmRunLayout.IO_COUNT);
            len = Math.min(len, CapturedExit.MAX_IO_DATA);
            int off = (int) run.getLong(KvmRunLayout.IO_DATA_OFFSET);
            run.get(off, e.ioData, 0, len);
            e.ioLength = len;
        }
        long[] s = e.state;
        for (int i = 0; i < StateLayout.FAST_WORDS; i++) {
            s[i] = run.getLong(KvmRunLayout.SYNC_REGS + 8 * i);
        }
        if (full != null) {
            full.read(s);
        }
    }

    /** Where the guest was at this exit, for a report: RIP, or CS:IP and the linear address outside 64-bit code. */
    private String where() {
        GuestState s = new GuestState(exit.state);
        if (s.codeBits() == 64) {
            return String.format("RIP 0x%x", s.rip());
        }
        int cs = s.segment(StateLayout.Segment.CS).selector();
        return s.codeBits() == 16
                ? String.format("CS:IP %04x:%04x (linear 0x%x)", cs, s.rip() & 0xFFFF, s.codeLinearAddress())
                : String.format("CS:EIP %04x:%08x (linear 0x%x)", cs, s.rip() & 0xFFFFFFFFL, s.codeLinearAddress());
    }

    /** Whether this exit ends the vCPU's thread, and what it means for the machine. */
    private boolean endsVcpu(int reason) {
        KvmExitReason r = KvmExitReason.of(reason);
        switch (r) {
            case HLT:
                return true;   // no interrupt controller: nothing can wake it
            case SHUTDOWN:
                machine.finish(new Outcome(Outcome.Kind.TRIPLE_FAULT, 0, exit.seq, "triple fault on vCPU "
                        + vcpu.id() + " at " + where() + " (KVM_EXIT_SHUTDOWN)"));
                return true;
            case FAIL_ENTRY:
                machine.finish(new Outcome(Outcome.Kind.ENTRY_FAILED, 0, exit.seq, String.format(
                        "VM entry failed on vCPU %d: hardware reason 0x%x (KVM_EXIT_FAIL_ENTRY)", vcpu.id(),
                        exit.payload[0])));
                return true;
            case INTERNAL_ERROR:
                machine.finish(new Outcome(Outcome.Kind.INTERNAL_ERROR, 0, exit.seq, "KVM internal error on vCPU "
                        + vcpu.id() + " at " + where() + ": " + exit.decodeExit().detail()));
                return true;
            case SYSTEM_EVENT:
                machine.finish(new Outcome(Outcome.Kind.SYSTEM_EVENT, 0, exit.seq, "guest requested "
                        + exit.decodeExit().detail()));
                return true;
            default:
                return gate.state() == VcpuGate.State.STOPPED;
        }
    }
}
