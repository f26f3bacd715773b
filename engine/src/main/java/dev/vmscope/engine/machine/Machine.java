package dev.vmscope.engine.machine;

import dev.vmscope.engine.machine.io.IoBus;
import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.kernel.KernelCapture;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.kernel.KernelTraceUnavailable;
import dev.vmscope.engine.kernel.KernelTracer;
import dev.vmscope.engine.kvm.CpuidTable;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.kvm.Kvm;
import dev.vmscope.engine.kvm.KvmException;
import dev.vmscope.engine.kvm.Vcpu;
import dev.vmscope.engine.kvm.Vm;
import dev.vmscope.engine.machine.boot.BootPlan;
import dev.vmscope.engine.machine.boot.RamLayout;
import dev.vmscope.engine.machine.pc.AcpiTables;
import dev.vmscope.engine.machine.pc.Cmos;
import dev.vmscope.engine.machine.pc.FwCfg;
import dev.vmscope.engine.machine.pc.I8042;
import dev.vmscope.engine.machine.pc.PciNoDevices;
import dev.vmscope.engine.machine.pc.PmDevice;
import dev.vmscope.engine.sys.KvmIoctls;
import dev.vmscope.engine.time.RunClock;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.MachineInfo;
import dev.vmscope.engine.trace.Outcome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A guest on KVM: VM, RAM, vCPUs (one thread each), devices, and the store every exit goes into.
 * Build with {@link #create}, add hooks, {@link #start()}, then {@link #awaitOutcome}.
 */
public final class Machine implements AutoCloseable {
    private static final long TSS_ADDR = 0xFFFBD000L;
    private static final int UART_IRQ = 4;

    private final MachineConfig config;
    private final Kvm kvm;
    private final Vm vm;
    private final GuestMemory memory;
    private final List<VcpuRunner> runners = new ArrayList<>();
    private final List<GuestState> initialStates = new ArrayList<>();
    private BootPlan bootPlan;
    private MachineCheck machineCheck;
    private final IoBus io = new IoBus();
    private final Uart16550 uart;
    private final ExitStore store;
    private volatile ExitHook[] hooks = new ExitHook[0];
    private final List<MachineListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> consoleSinks = new CopyOnWriteArrayList<>();
    private final AtomicReference<Outcome> outcome = new AtomicReference<>();
    private final CountDownLatch done = new CountDownLatch(1);
    /**
     * Heap set aside so that a run whose heap runs out can still end in one line: when it does, the whole heap
     * is taken, and stopping the vCPUs, sealing and printing the summary all allocate a little.
     */
    private volatile byte[] heapReserve = new byte[4 << 20];
    private int live;
    /** The run's clock (pauses cut out); exit and kernel-event times are read from it. */
    private final RunClock clock = new RunClock(System.nanoTime());
    private KernelTracer tracer;   // null without kernel events
    private KernelEvents kernelEvents = KernelEvents.none(KernelCapture.OFF.note());
    private boolean started;

    private Machine(MachineConfig config, boolean startPaused) {
        this.config = config;
        this.kvm = Kvm.open(config.kvmDevice());
        try {
            this.vm = kvm.createVm();
            CpuidTable cpuid = kvm.supportedCpuid();
            checkAddressable(config.memoryBytes(), cpuid);
            this.memory = RamLayout.allocate(config.memoryBytes());
            vm.mapMemory(memory);
            try {
                vm.setTssAddr(TSS_ADDR);
            } catch (KvmException e) {
                // only Intel hosts without unrestricted guest need it; others may refuse
            }
            if (config.trapMsrs()) {
                if (kvm.checkExtension(KvmIoctls.KVM_CAP_X86_USER_SPACE_MSR) == 0
                        || kvm.checkExtension(KvmIoctls.KVM_CAP_X86_MSR_FILTER) == 0) {
                    throw new KvmException("MSR trap mode needs KVM_CAP_X86_USER_SPACE_MSR and"
                            + " KVM_CAP_X86_MSR_FILTER, which this kernel does not offer");
                }
                vm.trapAllMsrs();
            }
            if (kvm.checkExtension(KvmIoctls.KVM_CAP_SYNC_REGS) == 0) {
                throw new KvmException("this kernel lacks KVM_CAP_SYNC_REGS, which vmscope captures exits with");
            }
            if (config.pc()) {
                vm.createIrqchip();   // PIC, IOAPIC and a local APIC per vCPU, in the kernel
                vm.createPit2();
            }
            if (config.pc()) {
                AcpiTables.write(memory, config.vcpus());   // first: a kernel the user placed there wins
            }
            this.bootPlan = Loader.load(config, memory);
            this.machineCheck = MachineCheck.forHost(kvm, cpuid);
            for (int i = 0; i < config.vcpus(); i++) {
                Vcpu v = vm.createVcpu(i);
                v.setCpuid(cpuid.withApicId(i));
                if (machineCheck != null) {
                    v.setupMce(machineCheck.mcgCap());   // after KVM_SET_CPUID2, as QEMU orders them
                }
                if (i == 0 || !config.pc()) {
                    Loader.setupCpu(bootPlan, memory, v, i);   // on a PC the APs wait for INIT/SIPI
                }
                initialStates.add(readState(v));
                runners.add(new VcpuRunner(this, v, startPaused));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.store = new ExitStore(describe(config, bootPlan.mode()));
        store.setSymbols(config.symbols());
        store.setQuietWaker(v -> runners.get(v).wakeToSeal());   // a spinning vCPU's exits reach the trace file
        store.boundMemory(config.liveExitsBound(), Path.of(System.getProperty("java.io.tmpdir")));
        this.uart = config.pc()
                ? new Uart16550(Uart16550.COM1, this::toConsole, high -> vm.irqLine(UART_IRQ, high))
                : new Uart16550(Uart16550.COM1, this::toConsole);
        io.register(Uart16550.COM1, 8, uart);
        io.register(DebugExitPort.PORT, 1, new DebugExitPort(status -> finish(
                new Outcome(Outcome.Kind.DEBUG_EXIT, status, store.size() - 1,
                        "guest wrote to the debug-exit port: status " + status))));
        if (config.pc()) {
            io.register(Cmos.PORT, 2, new Cmos(memory.lowEnd(), memory.size() - memory.lowEnd()));
            io.register(FwCfg.SELECTOR, 2, new FwCfg(config.vcpus(), config.memoryBytes()));
            io.register(I8042.DATA, 1, new I8042(() -> { }));
            io.register(I8042.COMMAND, 1, new I8042(() -> finish(new Outcome(Outcome.Kind.SYSTEM_EVENT, 0,
                    store.size() - 1, "guest reset the machine through the i8042 (0xFE to port 0x64)"))));
            io.register(PciNoDevices.ADDRESS, 8, new PciNoDevices());
            io.register(PmDevice.PM1A_EVT, PmDevice.PORTS, new PmDevice(() -> finish(new Outcome(
                    Outcome.Kind.SYSTEM_EVENT, 0, store.size() - 1, "guest powered off through ACPI (S5)"))));
        }
        if (config.kernelEvents() != null) {
            startKernelEvents(config.kernelEvents());
        }
        store.setKernelEvents(kernelEvents);
        store.setPauses(clock.pauses());
    }

    /** Starts tracing KVM's tracepoints for this guest; without tracefs or permission, says why and goes on. */
    private void startKernelEvents(KernelTracer.Options options) {
        try {
            tracer = KernelTracer.start(config.vcpus(), options, store::notice);
            kernelEvents = tracer.events();
        } catch (KernelTraceUnavailable e) {
            kernelEvents = KernelEvents.none(e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            kernelEvents = KernelEvents.none("kernel events off: " + e);   // never fails the run
        }
    }

    /** KVM's tracepoints for this guest (empty, with why, when off or unavailable). */
    public KernelEvents kernelEvents() {
        return kernelEvents;
    }

    /** Called by each vCPU thread before its first KVM_RUN: its tracepoints are this guest's. */
    void vcpuThreadStarted(int vcpu, int tid) {
        KernelTracer t = tracer;
        if (t != null) {
            t.attach(vcpu, tid, clock);
        }
    }

    /** Stops kernel tracing once every vCPU is out of KVM, so the run's kernel events are complete. */
    private void finishKernelEvents() {
        KernelTracer t = tracer;
        if (t != null) {
            t.close();
        }
    }

    /** Refuses RAM whose top lies beyond the guest physical addresses this host's CPUs have (CPUID 0x80000008). */
    private static void checkAddressable(long bytes, CpuidTable cpuid) {
        int[] leaf = cpuid.leaf(0x80000008);
        int bits = leaf != null ? leaf[0] & 0xFF : 36;
        long high = RamLayout.highBytes(bytes);
        long top = high > 0 ? RamLayout.HIGH_START + high : bytes;
        if (bits < 63 && top > 1L << bits) {
            throw new GuestConfigException(String.format("%d MiB of guest RAM would end at 0x%x, beyond the %d physical"
                    + " address bits this host's guests have (%d GiB of RAM at most)", bytes >> 20, top, bits,
                    ((1L << bits) - RamLayout.HIGH_START + RamLayout.LOW_END_WITH_HOLE) >> 30));
        }
    }

    /** Opens KVM and builds the guest, ready to start (vCPUs run at once on {@link #start()}). */
    public static Machine create(MachineConfig config) {
        return new Machine(config, false);
    }

    /** Like {@link #create} but every vCPU waits, paused before its first instruction, for a resume. */
    public static Machine createPaused(MachineConfig config) {
        return new Machine(config, true);
    }

    /** The state a vCPU starts with, read the slow way (three ioctls) once, before it first runs. */
    private static GuestState readState(Vcpu v) {
        long[] w = new long[StateLayout.WORDS];
        long[] sync = v.readStateWords();
        System.arraycopy(sync, 0, w, 0, sync.length);
        return new GuestState(w);
    }

    /** vCPU {@code v}'s state before its first instruction. */
    public GuestState initialState(int v) {
        return initialStates.get(v);
    }

    /** {@code mode} is the boot vCPU's as its loader set it (a multiboot kernel starts in protected mode whatever
     *  the configuration's flat-image default says). */
    private static MachineInfo describe(MachineConfig c, CpuMode mode) {
        String sha;
        try {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.image()));
        } catch (NoSuchAlgorithmException e) {
            sha = "";
        }
        return new MachineInfo(c.name(), sha, c.vcpus(), c.memoryBytes(), mode.name().toLowerCase(),
                c.snapshot().name().toLowerCase(), hostKernel(), hostCpu(), System.currentTimeMillis());
    }

    private static String hostKernel() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private static String hostCpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception ignored) {
            // not Linux, or no access: leave it unknown
        }
        return "unknown";
    }

    /** How the guest was loaded (loader, entry point, registers it was given). */
    public BootPlan bootPlan() {
        return bootPlan;
    }

    /** The machine-check banks every vCPU has, or null when the host offers no MCE set-up. */
    public MachineCheck machineCheck() {
        return machineCheck;
    }

    /** One line on what the guest's machine is beyond its loader: the machine check banks, RAM and firmware tables. */
    public String hardwareSummary() {
        List<String> parts = new ArrayList<>();
        parts.add(config.vcpus() + " vCPU" + (config.vcpus() == 1 ? "" : "s"));
        StringBuilder ram = new StringBuilder(String.format("%d MiB RAM at", memory.size() >> 20));
        for (GuestMemory.Region r : memory.regions()) {
            ram.append(String.format(" 0x%x-0x%x", r.guestPhys(), r.end() - 1));
        }
        parts.add(ram.toString());
        parts.add(machineCheck != null ? machineCheck.toString() : "no machine check set-up (KVM's default)");
        if (config.pc()) {
            parts.add(String.format("ACPI RSDP at 0x%x, PM timer at port 0x%x", AcpiTables.RSDP, PmDevice.PM_TMR));
        }
        return String.join(", ", parts);
    }

    public MachineConfig config() {
        return config;
    }

    public ExitStore store() {
        return store;
    }

    public GuestMemory memory() {
        return memory;
    }

    public List<VcpuRunner> vcpus() {
        return List.copyOf(runners);
    }

    IoBus io() {
        return io;
    }

    /** The run's clock: exit times count the time the guest was let run, from its first entry. */
    public RunClock clock() {
        return clock;
    }

    /** Hardware breakpoints for every vCPU, applied by each at its next guest entry. */
    public void setGuestDebug(GuestDebugSettings s) {
        for (VcpuRunner r : runners) {
            r.setGuestDebug(s);
        }
    }

    /** Adds a hook that sees every exit (before {@link #start()} or while running). */
    public synchronized void addHook(ExitHook hook) {
        ExitHook[] h = java.util.Arrays.copyOf(hooks, hooks.length + 1);
        h[h.length - 1] = hook;
        hooks = h;
    }

    public void addListener(MachineListener l) {
        listeners.add(l);
    }

    /** Receives the guest's serial output as it comes (a line or a pause at a time). */
    public void addConsoleSink(Consumer<String> sink) {
        consoleSinks.add(sink);
    }

    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        live = runners.size();
        for (VcpuRunner r : runners) {
            r.start();
        }
    }

    boolean runHooks(CapturedExit e) {
        boolean pause = false;
        for (ExitHook h : hooks) {
            pause |= h.onExit(e);
        }
        return pause;
    }

    private void toConsole(String text) {
        store.appendConsole(text);
        for (Consumer<String> s : consoleSinks) {
            s.accept(text);
        }
    }

    /** Ends the run with {@code o} unless it has already ended; stops every vCPU. */
    public void finish(Outcome o) {
        if (outcome.compareAndSet(null, o)) {
            for (VcpuRunner r : runners) {
                r.stop();
            }
        }
    }

    /** On a vCPU thread's OutOfMemoryError, before anything else: frees the reserve, so ending the run has room. */
    void releaseHeapReserve() {
        heapReserve = null;
    }

    /** Stops the run at the user's request. */
    public void stop() {
        stop("stopped by the user");
    }

    /** Stops the run, saying why in the outcome (e.g. "timeout after 5 s (--timeout)"). */
    public void stop(String why) {
        finish(new Outcome(Outcome.Kind.STOPPED, 0, store.size() - 1, why));
    }

    void vcpuStateChanged(VcpuRunner r) {
        boolean paused = r.isPaused();
        if (paused) {
            uart.flush();
        }
        for (MachineListener l : listeners) {
            l.vcpuStateChanged(r.id(), paused, store.size() - 1);
        }
    }

    void vcpuEnded(VcpuRunner r) {
        boolean last;
        synchronized (this) {
            last = --live == 0;
        }
        for (MachineListener l : listeners) {
            l.vcpuStateChanged(r.id(), false, store.size() - 1);
        }
        if (last) {
            finishKernelEvents();
            uart.flush();
            outcome.compareAndSet(null, new Outcome(Outcome.Kind.HALTED, 0, store.size() - 1,
                    "every vCPU halted"));
            Outcome o = outcome.get();
            store.setOutcome(o);
            for (MachineListener l : listeners) {
                l.finished(o);
            }
            done.countDown();
        }
    }

    boolean readMsr(Vcpu v, int index, long[] out) {
        try {
            return v.getMsr(index, out);
        } catch (KvmException e) {
            return false;
        }
    }

    boolean writeMsr(Vcpu v, int index, long value) {
        try {
            return v.setMsr(index, value);
        } catch (KvmException e) {
            return false;
        }
    }

    /** Waits for the run to end; null on timeout. */
    public Outcome awaitOutcome(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit) ? outcome.get() : null;
    }

    public Outcome awaitOutcome() throws InterruptedException {
        done.await();
        return outcome.get();
    }

    /** The outcome if the run has ended, else null. */
    public Outcome outcome() {
        return done.getCount() == 0 ? outcome.get() : null;
    }

    public boolean isFinished() {
        return done.getCount() == 0;
    }

    @Override
    public void close() {
        if (started && done.getCount() != 0) {
            stop();
            try {
                done.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        finishKernelEvents();
        for (VcpuRunner r : runners) {
            r.vcpu().close();
        }
        if (memory != null) {
            memory.close();
        }
        if (vm != null) {
            vm.close();
        }
        kvm.close();
    }
}
