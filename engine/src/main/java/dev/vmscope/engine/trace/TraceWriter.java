package dev.vmscope.engine.trace;

import dev.vmscope.engine.io.IoErrors;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.kernel.KernelCapture;
import dev.vmscope.engine.kernel.KernelEventStore;
import dev.vmscope.engine.kernel.KernelEvents;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * Records an {@link ExitStore} to a {@code .vmtrace} file as the run goes (format: {@code docs/vmtrace-format.md}).
 *
 * <p>It listens to the store: vCPU threads only put the sealed chunk (or console text, breakpoint hit,
 * outcome, a code page seen for the first time) on a queue, and one writer thread frames, checksums and writes it, so no vCPU ever waits on the
 * disk. The queue holds references to chunks the store keeps anyway, so it costs no memory of its own.
 * Every {@link #FLUSH_INTERVAL_MS} the writer thread asks the store to seal every open chunk at its next exit,
 * and whenever the queue runs dry it hands what it has buffered to the operating system: a process killed
 * with SIGKILL leaves a file that holds every exit up to about half a second before the kill (a vCPU quiet for
 * {@link ExitStore#QUIET_NANOS} is woken to seal its chunk, so up to about 1.25 s for it). The file is
 * fsynced on {@link #close()} only (a power cut can lose more than a kill).
 *
 * <p>While it records, the store keeps the pages code runs from ({@link ExitStore#keepsCode()}), so a replay
 * can disassemble at RIP and decode the instruction behind each exit.
 *
 * <p>Attach before the run starts ({@link #record}) and close after it has ended. A write error (a full disk)
 * stops the recording at once: the writer leaves the store, so the run goes on at full speed unrecorded,
 * tells its {@linkplain #onFailure failure listener} (one line: {@link #failureMessage()}), writes nothing more
 * (no end record: there is no room) and {@link #close()} throws it. What was written stays readable.
 */
public final class TraceWriter implements StoreListener, AutoCloseable {
    /** How often open chunks are sealed and buffered bytes handed to the OS, at the latest. */
    public static final long FLUSH_INTERVAL_MS = 250;

    private record ConsoleText(long atExits, String text) {
    }

    /** Kernel events up to this index are published: write them. */
    private record KernelUpTo(long to) {
    }

    /** The kernel-capture record: whether there are kernel events, why not, their formats. */
    private record KernelStart(KernelEvents events) {
    }

    private static final Object STOP = new Object();

    private final ExitStore store;
    private final Path file;
    private final FileChannel channel;
    private final OutputStream out;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final TraceFormat.Payload payload = new TraceFormat.Payload();
    private final byte[] frame = new byte[TraceFormat.FRAME_BYTES];
    private final CRC32C crc = new CRC32C();
    private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
    private final byte[] deflated = new byte[CodePage.SIZE];
    private volatile boolean closed;
    private volatile IOException failure;
    private volatile Consumer<IOException> failureListener = e -> { };
    private volatile long bytes;
    private long records;
    private long exitRecords;
    private long exitsWritten;
    private final KernelRecords.Encoder kernelEncoder = new KernelRecords.Encoder();
    private final KernelEvents.Listener kernelListener = (from, to) -> {
        if (!closed) {
            queue.add(new KernelUpTo(to));
        }
    };
    private long kernelWritten;
    private long kernelLostWritten;

    private TraceWriter(ExitStore store, Path file) throws IOException {
        this.store = store;
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
        try {
            byte[] prefix = TraceFormat.prefix();
            out.write(prefix);
            bytes = prefix.length;
            writeHeader(store.machine());
            writeSymbols(store.symbols());
            out.flush();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.thread = new Thread(this::loop, "vmtrace-writer");
        thread.setDaemon(true);
    }

    /**
     * Creates (or replaces) {@code file}, writes its header and records everything {@code store} gains from
     * now on. The store must still be empty: a trace holds a run from its first exit.
     */
    public static TraceWriter record(ExitStore store, Path file) throws IOException {
        if (store.size() != 0) {
            throw new IllegalStateException("attach the trace writer before the run starts (the store already holds "
                    + store.size() + " exits)");
        }
        TraceWriter w = new TraceWriter(store, file);
        store.addListener(w);
        KernelEvents k = store.kernelEvents();
        if (k.capture().on() || !k.capture().note().equals(KernelCapture.OFF.note())) {
            w.queue.add(new KernelStart(k));   // on, or asked for and unavailable: a replay says why
            k.addListener(w.kernelListener);
            w.queue.add(new KernelUpTo(k.size()));
        }
        w.queue.addAll(store.codePages().all());
        store.setKeepCode(true);
        w.thread.start();
        return w;
    }

    public Path file() {
        return file;
    }

    /** Bytes written to the file so far (handed to the OS or still buffered). */
    public long bytesWritten() {
        return bytes;
    }

    /** The write error that stopped the recording, or null. */
    public IOException failure() {
        return failure;
    }

    /**
     * Calls {@code l} once when a write fails and the recording stops (on the writer thread; at once if it
     * already has).
     */
    public void onFailure(Consumer<IOException> l) {
        failureListener = l;
        IOException f = failure;
        if (f != null && failureListener == l) {
            l.accept(f);
        }
    }

    /** One line for the user: why the recording stopped and what the file keeps; null while it has not. */
    public String failureMessage() {
        IOException f = failure;
        if (f == null) {
            return null;
        }
        String kept;
        try {
            kept = String.format(java.util.Locale.ROOT, "the file keeps its first %,d bytes, readable",
                    java.nio.file.Files.size(file));
        } catch (IOException e) {
            kept = "what reached the file stays readable";
        }
        return "recording to " + file + " stopped: " + IoErrors.cause(f) + " (" + kept + ")";
    }

    // ---- StoreListener: called on vCPU threads, so only enqueue ----

    @Override
    public void onChunk(Chunk chunk) {
        if (!closed) {
            queue.add(chunk);
        }
    }

    @Override
    public void onConsole(String text) {
        if (!closed) {
            queue.add(new ConsoleText(store.size(), text));
        }
    }

    @Override
    public void onBreakpointHit(BreakpointHit hit) {
        if (!closed) {
            queue.add(hit);
        }
    }

    @Override
    public void onOutcome(Outcome outcome) {
        if (!closed) {
            queue.add(outcome);
        }
    }

    @Override
    public void onCodePage(CodePage page) {
        if (!closed) {
            queue.add(page);
        }
    }

    /**
     * Writes what is queued, an end record, fsyncs and closes the file. Call once the run has ended (every
     * vCPU has sealed its last chunk); what the store gains afterwards is not recorded.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        store.removeListener(this);
        store.kernelEvents().removeListener(kernelListener);
        store.setKeepCode(false);
        queue.add(STOP);
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;   // finish the file anyway: a half-closed trace helps nobody
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IOException("recording to " + file + " failed: " + failure.getMessage(), failure);
        }
    }

    // ---- the writer thread ----

    private void loop() {
        long nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS);
        try {
            while (true) {
                long wait = nextTick - System.nanoTime();
                Object item = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                if (item == STOP) {
                    break;
                }
                if (item != null) {
                    write(item);
                    if (queue.isEmpty()) {
                        flush();
                    }
                }
                if (System.nanoTime() - nextTick >= 0 && failure == null) {
                    store.requestSeal();
                    flush();
                    nextTick = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MS);
                }
            }
            for (Object item; (item = queue.poll()) != null; ) {
                if (item != STOP) {
                    write(item);
                }
            }
            write(new KernelUpTo(Long.MAX_VALUE));   // the run has ended: whatever the kernel side still holds
            if (failure == null) {
                writeEnd();
                out.flush();
                channel.force(true);
            }
        } catch (InterruptedException e) {
            fail(new IOException("trace writer interrupted"));
        } catch (IOException e) {
            fail(e);
        } finally {
            deflater.end();
            kernelEncoder.end();
            try {
                channel.close();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    /** The first failure stops the recording: the run no longer feeds this writer, the listener is told. */
    private void fail(IOException e) {
        if (failure != null) {
            return;
        }
        failure = e;
        store.removeListener(this);
        store.kernelEvents().removeListener(kernelListener);
        store.setKeepCode(false);
        try {
            failureListener.accept(e);
        } catch (RuntimeException ignored) {
            // the listener's trouble must not stop the writer from draining and closing
        }
    }

    private void flush() {
        if (failure == null) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    private void write(Object item) {
        if (failure != null) {
            return;   // the recording has stopped; keep draining so nothing piles up
        }
        try {
            if (item instanceof Chunk c) {
                writeChunk(c);
            } else if (item instanceof ConsoleText t) {
                writeConsole(t);
            } else if (item instanceof BreakpointHit h) {
                writeRecord(TraceFormat.BREAKPOINT, payload.reset().varint(h.seq()).svarint(h.breakpointId())
                        .string(h.description()));
            } else if (item instanceof CodePage p) {
                writeCodePage(p);
            } else if (item instanceof KernelStart k) {
                writeKernelStart(k.events());
            } else if (item instanceof KernelUpTo k) {
                writeKernelEvents(k.to());
            } else if (item instanceof Outcome o) {
                writeRecord(TraceFormat.OUTCOME, payload.reset().string(o.kind().name()).svarint(o.status())
                        .svarint(o.atSeq()).string(o.message()));
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    private void writeHeader(MachineInfo m) throws IOException {
        writeRecord(TraceFormat.HEADER, payload.reset().string(m.guestName()).string(m.imageSha256())
                .varint(m.vcpus()).varint(m.memoryBytes()).string(m.mode()).string(m.snapshotLevel())
                .string(m.hostKernel()).string(m.hostCpu()).svarint(m.startEpochMillis()));
    }

    /** The guest's symbols, once after the header: address deltas (sorted), sizes and names. */
    private void writeSymbols(SymbolTable t) throws IOException {
        if (t.isEmpty()) {
            return;
        }
        List<SymbolTable.Symbol> all = t.all();
        int n = 0;
        payload.reset();
        TraceFormat.Payload entries = new TraceFormat.Payload();
        long previous = 0;
        for (SymbolTable.Symbol s : all) {
            if (entries.n > TraceFormat.MAX_PAYLOAD - 4096) {
                break;   // the record's limit: a huge vmlinux keeps its lowest addresses
            }
            entries.varint(s.address() - previous).varint(s.size()).string(s.name());
            previous = s.address();
            n++;
        }
        payload.varint(n);
        payload.room(entries.n);
        System.arraycopy(entries.b, 0, payload.b, payload.n, entries.n);
        payload.n += entries.n;
        writeRecord(TraceFormat.SYMBOLS, payload);
    }

    private void writeChunk(Chunk c) throws IOException {
        byte[] data = c.data();
        TraceFormat.Payload p = payload.reset().varint(c.vcpu()).varint(c.firstSeq())
                .varint(c.lastSeq() - c.firstSeq()).varint(c.count()).varint(data.length);
        crc.reset();
        crc.update(p.b, 0, p.n);
        crc.update(data, 0, data.length);
        int length = p.n + data.length;
        TraceFormat.frame(frame, TraceFormat.EXITS, length, (int) crc.getValue());
        out.write(frame);
        out.write(p.b, 0, p.n);
        out.write(data);
        bytes += TraceFormat.FRAME_BYTES + length;
        records++;
        exitRecords++;
        exitsWritten += c.count();
    }

    private void writeConsole(ConsoleText t) throws IOException {
        byte[] u = t.text().getBytes(StandardCharsets.UTF_8);
        for (int off = 0; off < u.length; ) {
            int len = Math.min(TraceFormat.MAX_CONSOLE_PIECE, u.length - off);
            // never split a UTF-8 sequence: back up to the start of a character
            while (off + len < u.length && len > 1 && (u[off + len] & 0xC0) == 0x80) {
                len--;
            }
            writeRecord(TraceFormat.CONSOLE, payload.reset().varint(t.atExits()).bytes(u, off, len));
            off += len;
        }
    }

    /** Code compresses well (and small guests' pages are mostly zeros): deflated unless that does not help. */
    private void writeCodePage(CodePage p) throws IOException {
        deflater.reset();
        deflater.setInput(p.bytes());
        deflater.finish();
        int n = deflater.deflate(deflated);
        boolean packed = deflater.finished() && n < CodePage.SIZE;
        payload.reset().svarint(p.space()).varint(p.linearPage()).varint(p.seq())
                .varint(packed ? TraceFormat.CODE_DEFLATE : TraceFormat.CODE_RAW);
        if (packed) {
            payload.bytes(deflated, 0, n);
        } else {
            payload.bytes(p.bytes(), 0, CodePage.SIZE);
        }
        writeRecord(TraceFormat.CODE, payload);
    }

    private void writeKernelStart(KernelEvents k) throws IOException {
        KernelRecords.formats(payload, k.capture(), k instanceof KernelEventStore s ? s.formats() : null);
        writeRecord(TraceFormat.KERNEL_FORMATS, payload);
    }

    /** Kernel events published up to {@code to}, in records of at most {@value KernelRecords#MAX_EVENTS}. */
    private void writeKernelEvents(long to) throws IOException {
        if (!(store.kernelEvents() instanceof KernelEventStore k) || !k.capture().on()) {
            return;
        }
        long end = Math.min(to, k.size());
        while (kernelWritten < end) {
            long upTo = Math.min(end, kernelWritten + KernelRecords.MAX_EVENTS);
            kernelEncoder.events(payload, k, kernelWritten, upTo);
            writeRecord(TraceFormat.KERNEL_EVENTS, payload);
            kernelWritten = upTo;
            kernelLostWritten = k.lost();
        }
        if (to == Long.MAX_VALUE && k.lost() > kernelLostWritten) {   // the final count, taken at the run's end
            kernelEncoder.events(payload, k, kernelWritten, kernelWritten);
            writeRecord(TraceFormat.KERNEL_EVENTS, payload);
            kernelLostWritten = k.lost();
        }
    }

    private void writeEnd() throws IOException {
        long recordsBefore = records;
        writeRecord(TraceFormat.END, payload.reset().varint(store.size()).varint(exitsWritten).varint(exitRecords)
                .varint(recordsBefore));
    }

    private void writeRecord(int type, TraceFormat.Payload p) throws IOException {
        TraceFormat.frame(frame, type, p.n, TraceFormat.crc(p.b, 0, p.n));
        out.write(frame);
        out.write(p.b, 0, p.n);
        bytes += TraceFormat.FRAME_BYTES + p.n;
        records++;
    }
}
