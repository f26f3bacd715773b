package dev.vmscope.engine.kernel;

import dev.vmscope.engine.sys.RawFile;

import dev.vmscope.engine.time.RunClock;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Captures KVM's tracepoints for one guest: its own tracefs instance ({@link TraceInstance}) with the
 * {@code mono} clock (CLOCK_MONOTONIC, which {@link System#nanoTime()} and so every exit time uses), the
 * {@code kvm} group (and {@code kvmmmu} on request) enabled, and {@code set_event_pid} holding exactly this
 * guest's vCPU threads. One reader thread (never a vCPU thread: the exit path stays as it was) reads every
 * CPU's {@code trace_pipe_raw} without blocking, decodes pages with the kernel's own formats, merges the CPUs
 * in time order and appends to a {@link KernelEventStore}.
 *
 * <p>Lifecycle: {@link #start} → {@link #attach} from each vCPU thread before its first KVM_RUN →
 * {@link #close} (drains what is left, counts what the kernel lost, removes the instance). A JVM shutdown
 * hook removes the instance on Ctrl+C; a later start removes it after kill -9.
 */
public final class KernelTracer implements AutoCloseable {
    /** Per-CPU buffer size when none is asked for: holds about a second of ioloop at full speed. */
    public static final int DEFAULT_BUFFER_KB = 4096;
    /** How long the reader sleeps when every buffer was empty. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Events newer than this (before the round began) wait a round: another CPU may still commit older ones. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /**
     * kvm events left off, as they say nothing about the guest: MMU-notifier calls reporting what the host's
     * memory manager did to the VM's memory (reclaim, ageing, unmapping; at any time, outside KVM_RUN), and
     * kvm_fpu, which fires twice per KVM_RUN to say KVM swapped FPU state (two of every seven events on an I/O
     * loop, for no information).
     */
    static final List<String> HOST_SIDE = List.of("kvm_unmap_hva_range", "kvm_age_hva", "kvm_test_age_hva",
            "kvm_fpu");

    private final TraceInstance instance;
    private final EventFormats formats;
    private final KernelEventStore store;
    private final RingBufferPageDecoder decoder;
    private final int[] cpus;
    private final RawFile[] files;
    private final CpuStaging[] staging;
    private final AtomicIntegerArray tids;   // vCPU → its thread, written by the vCPU threads
    private final Thread reader;
    private final Thread hook;
    private volatile RunClock clock;
    private volatile boolean stopping;
    private volatile String readerFailure;
    private final Consumer<String> notices;
    private boolean closed;

    /** Bytes a kernel event costs on the heap (columns, raw record, per-vCPU place), for the default bound. */
    private static final long LIVE_BYTES_PER_EVENT = 64;

    /**
     * What to capture: the kvm group (and kvmmmu when {@code mmu}), the per-CPU buffer, and about how many recent
     * events stay in memory before older ones move to a temporary file (0 for {@link #defaultLiveEvents()}).
     */
    public record Options(boolean mmu, int bufferKb, long liveEvents) {
        public static final Options DEFAULT = new Options(false, DEFAULT_BUFFER_KB, 0);

        /** {@link #liveEvents} with its default applied. */
        public long liveEventsBound() {
            return liveEvents > 0 ? liveEvents : defaultLiveEvents();
        }
    }

    /** A quarter of the heap's worth of events, as a live run's exits get another quarter. */
    public static long defaultLiveEvents() {
        return Math.max(KernelEventStore.MIN_LIVE_EVENTS, Runtime.getRuntime().maxMemory() / 4 / LIVE_BYTES_PER_EVENT);
    }

    private KernelTracer(TraceInstance instance, EventFormats formats, int vcpus, int[] cpus, RawFile[] files,
                         Consumer<String> notices) {
        this.instance = instance;
        this.notices = notices;
        this.formats = formats;
        this.store = new KernelEventStore(formats, vcpus, new KernelCapture(true, ""));
        this.decoder = new RingBufferPageDecoder(formats.layout());
        this.cpus = cpus;
        this.files = files;
        this.staging = new CpuStaging[cpus.length];
        for (int i = 0; i < cpus.length; i++) {
            staging[i] = new CpuStaging();
        }
        this.tids = new AtomicIntegerArray(vcpus);
        this.reader = new Thread(this::readLoop, "kernel-events");
        reader.setDaemon(true);
        this.hook = new Thread(this::removeAtExit, "kernel-events-cleanup");
    }

    /**
     * Sets up tracing for a guest of {@code vcpus} vCPUs and starts the reader; {@code notices} hears, once
     * each, when the memory bound is reached and if moving events to the temporary file fails.
     *
     * @throws KernelTraceUnavailable with one line for the user when tracefs is missing or not permitted
     */
    public static KernelTracer start(int vcpus, Options options, Consumer<String> notices)
            throws KernelTraceUnavailable {
        Path root = Tracefs.locate();
        TraceInstance instance = TraceInstance.create(root);
        List<RawFile> opened = new ArrayList<>();
        try {
            List<String> groups = options.mmu() ? List.of("kvm", "kvmmmu") : List.of("kvm");
            EventFormats formats = readFormats(root, instance, groups);
            instance.write("trace_clock", "mono");
            if (!instance.read("trace_clock").contains("[mono]")) {
                throw new KernelTraceUnavailable("kernel events off: this kernel has no 'mono' trace clock,"
                        + " so kernel events cannot be lined up with exits");
            }
            instance.write("buffer_size_kb", Integer.toString(Math.max(options.bufferKb(), 4)));
            int pageSize = pageSize(instance, formats.layout());
            formats = new EventFormats(formats.layout().withPageSize(pageSize), formats.all());
            // an empty pid list would trace every process: until the vCPU threads attach, only this JVM's
            // main thread (whose few events no vCPU claims, so they are dropped)
            instance.write("set_event_pid", ProcessHandle.current().pid() + "\n");
            List<Integer> cpuList = instance.cpus();
            for (int cpu : cpuList) {
                opened.add(RawFile.openNonBlocking(
                        instance.dir().resolve("per_cpu/cpu" + cpu + "/trace_pipe_raw").toString()));
            }
            for (String g : groups) {
                if (instance.exists("events/" + g + "/enable")) {
                    instance.write("events/" + g + "/enable", "1");
                }
            }
            for (String e : HOST_SIDE) {
                if (instance.exists("events/kvm/" + e + "/enable")) {
                    instance.write("events/kvm/" + e + "/enable", "0");
                }
            }
            instance.write("tracing_on", "1");
            int[] cpus = cpuList.stream().mapToInt(Integer::intValue).toArray();
            KernelTracer t = new KernelTracer(instance, formats, vcpus, cpus, opened.toArray(new RawFile[0]),
                    notices);
            t.store.boundMemory(options.liveEventsBound(), Path.of(System.getProperty("java.io.tmpdir")), notices);
            Runtime.getRuntime().addShutdownHook(t.hook);
            t.reader.start();
            return t;
        } catch (KernelTraceUnavailable e) {
            abandon(instance, opened);
            throw e;
        } catch (IOException | IllegalArgumentException e) {
            abandon(instance, opened);
            String why = e instanceof java.nio.file.AccessDeniedException
                    ? "no permission to write " + e.getMessage() + "; " + Tracefs.HOW : e.getMessage();
            throw new KernelTraceUnavailable("kernel events off: cannot set up tracing (" + why + ")");
        }
    }

    private static void abandon(TraceInstance instance, List<RawFile> files) {
        files.forEach(RawFile::close);
        instance.remove();
    }

    /** The instance's sub-buffer size when the kernel lets it differ from a page, else header_page's. */
    private static int pageSize(TraceInstance instance, RingBufferLayout layout) throws IOException {
        if (instance.exists("buffer_subbuf_size_kb")) {
            String kb = instance.read("buffer_subbuf_size_kb").strip();
            try {
                return Integer.parseInt(kb) * 1024;
            } catch (NumberFormatException ignored) {
                // fall back to the page layout
            }
        }
        return layout.pageSize();
    }

    /** The ring buffer's layout and every format of the groups, as the running kernel describes them. */
    static EventFormats readFormats(Path root, TraceInstance instance, List<String> groups)
            throws IOException, KernelTraceUnavailable {
        Path events = root.resolve("events");
        String headerPage = Tracefs.read(events.resolve("header_page"));
        String headerEvent = Tracefs.read(events.resolve("header_event"));
        List<EventFormat> formats = new ArrayList<>();
        for (String g : groups) {
            Path dir = events.resolve(g);
            if (!Files.isDirectory(dir)) {
                if (g.equals("kvm")) {
                    throw new KernelTraceUnavailable("kernel events off: this kernel has no kvm tracepoints ("
                            + dir + " is missing)");
                }
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path e : s) {
                    Path f = e.resolve("format");
                    if (Files.isReadable(f)) {
                        formats.add(EventFormat.parse(g, Tracefs.read(f)));
                    }
                }
            }
        }
        formats.sort((a, b) -> Integer.compare(a.id(), b.id()));
        return new EventFormats(RingBufferLayout.parse(headerPage, headerEvent), formats);
    }

    /** The events, as they arrive. */
    public KernelEventStore events() {
        return store;
    }

    /**
     * Adds vCPU {@code vcpu}'s thread {@code tid} to the filter; call it on that thread before its first
     * KVM_RUN. {@code clock} is the run's clock that exit times are read from; event times go through it too.
     */
    public void attach(int vcpu, int tid, RunClock clock) {
        this.clock = clock;
        if (vcpu >= 0 && vcpu < tids.length()) {
            tids.set(vcpu, tid);
        }
        try {
            instance.append("set_event_pid", tid + "\n");
        } catch (IOException e) {
            fail("kernel events: cannot filter on vCPU thread " + tid + " (" + e.getMessage() + ")");
        }
    }

    /** A problem met after the start (one line), or null. */
    public String failure() {
        return readerFailure;
    }

    private void readLoop() {
        byte[] page = new byte[formats.layout().pageSize()];
        try {
            while (!stopping) {
                long round = System.nanoTime();
                boolean any = readAll(page);
                release(round - SETTLE_NANOS);
                if (!any) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
            }
            readAll(page);
            release(Long.MAX_VALUE);
        } catch (IOException | RuntimeException e) {
            fail("kernel events: the reader stopped: " + e.getMessage());
        } catch (OutOfMemoryError e) {   // one line, never a dead thread's stack trace; the run goes on without
            fail("kernel events: the reader ran out of Java heap and stopped: run with a larger -Xmx or a lower"
                    + " --live-kernel-events");
        }
    }

    /** Keeps the first problem for {@link #failure()} and tells whoever shows the run. */
    private synchronized void fail(String line) {
        if (readerFailure == null) {
            readerFailure = line;
            notices.accept(line);
        }
    }

    /** Reads every CPU's buffer until it is empty; true if anything came. */
    private boolean readAll(byte[] page) throws IOException {
        boolean any = false;
        for (int c = 0; c < files.length; c++) {
            while (true) {
                int n = files[c].read(page);
                if (n <= 0) {
                    break;
                }
                decoder.decode(page, n, staging[c]);
                any = true;
            }
        }
        return any;
    }

    /** Moves staged events older than {@code before} into the store, all CPUs merged by time. */
    private void release(long before) {
        RunClock base = clock;
        long lostNow = 0;
        while (true) {
            int pick = -1;
            long best = Long.MAX_VALUE;
            for (int c = 0; c < staging.length; c++) {
                CpuStaging s = staging[c];
                if (s.hasNext() && s.nextTime() < best) {
                    best = s.nextTime();
                    pick = c;
                }
            }
            if (pick < 0 || best >= before) {
                break;
            }
            CpuStaging s = staging[pick];
            int i = s.head++;
            store(base == null ? 0 : base.runTimeOf(best), s.bytes, s.start[i], s.length[i]);
        }
        for (CpuStaging s : staging) {
            s.compact();
            lostNow += s.missed;
            s.missed = 0;
        }
        store.addLost(lostNow);
        store.publish(before == Long.MAX_VALUE ? before : base == null ? Long.MIN_VALUE : base.runTimeOf(before));
    }

    private void store(long timeNs, byte[] data, int at, int length) {
        int type = formats.typeOf(data, at, length);
        if (type < 0) {
            return;
        }
        int vcpu = -1;
        FieldFormat id = formats.get(type).field("vcpu_id");
        if (id != null) {
            vcpu = (int) id.number(data, at, length);
        }
        if (vcpu < 0 || vcpu >= tids.length()) {
            vcpu = vcpuOfThread(formats.tidOf(data, at, length));
        }
        if (vcpu >= 0) {
            store.append(timeNs, vcpu, type, data, at, length);
        }
    }

    private int vcpuOfThread(int tid) {
        for (int v = 0; v < tids.length(); v++) {
            if (tids.get(v) == tid) {
                return v;
            }
        }
        return -1;
    }

    /** Stops tracing, drains the buffers, counts what the kernel dropped, removes the instance. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            instance.write("tracing_on", "0");
        } catch (IOException ignored) {
            // the instance may already be gone (shutdown hook)
        }
        stopping = true;
        try {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long overrun = overrun();
        for (RawFile f : files) {
            f.close();
        }
        if (overrun > store.lost()) {
            store.addLost(overrun - store.lost());
            store.publish();
        }
        instance.remove();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }

    /** The kernel's own count of events it overwrote or dropped, over every CPU. */
    private long overrun() {
        long sum = 0;
        for (int cpu : cpus) {
            try {
                for (String line : instance.read("per_cpu/cpu" + cpu + "/stats").split("\n")) {
                    if (line.startsWith("overrun:") || line.startsWith("dropped events:")) {
                        sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // no stats: the pages' own counts stand
            }
        }
        return sum;
    }

    /** Ctrl+C: the JVM is exiting without close(); at least take the instance away. */
    private void removeAtExit() {
        stopping = true;
        try {
            reader.join(1000);
        } catch (InterruptedException ignored) {
            // exiting anyway
        }
        for (RawFile f : files) {
            f.close();
        }
        instance.remove();
    }

    /** The instance's directory (tests check that it is gone). */
    public Path instanceDir() {
        return instance.dir();
    }
}
