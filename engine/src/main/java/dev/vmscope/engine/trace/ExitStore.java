package dev.vmscope.engine.trace;

import dev.vmscope.engine.io.SpillFile;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelCapture;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.time.Pauses;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Every exit of a run, compact in memory: seq-indexed columns plus, per vCPU, delta-encoded chunks with the
 * full payload and snapshot. vCPU threads append; any thread reads. A trace file reader fills one the same
 * way from the chunks it recovers, so live runs and recordings share one read API.
 *
 * <p>A live run may be bounded ({@link #boundMemory}): beyond that many exits, the oldest column segments and
 * the sealed chunks before them move to a temporary file ({@link Spiller}) and read back from there through
 * the same methods, so no reader knows.
 */
public final class ExitStore implements ExitSource {
    /** Console text kept in memory; older output is dropped past this (a trace file keeps all of it). */
    private static final int CONSOLE_LIMIT = 4 * 1024 * 1024;
    /** A vCPU whose open chunk has not grown this long is quiet: it is woken to seal it (kill -9 loses less). */
    public static final long QUIET_NANOS = 1_000_000_000L;

    private final MachineInfo machine;
    private volatile SymbolTable symbols = SymbolTable.EMPTY;
    private final ColumnStore columns = new ColumnStore();
    private final ExitEncoder[] encoders;
    private final List<List<Chunk>> sealed = new ArrayList<>();
    /** Per vCPU, its chunks that moved to the spill file: always a prefix of its chunks; under sealed's lock. */
    private final List<List<SpilledChunk>> spilled = new ArrayList<>();
    private volatile Spiller spiller;
    private final java.util.concurrent.atomic.LongAdder spilledBytes = new java.util.concurrent.atomic.LongAdder();
    private final List<StoreListener> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder console = new StringBuilder();
    private final List<BreakpointHit> hits = new ArrayList<>();
    private volatile Outcome outcome;
    private final CodePages codePages = new CodePages();
    private volatile Pauses pauses = Pauses.NONE;
    private volatile KernelEvents kernelEvents = KernelEvents.none(KernelCapture.OFF.note());
    /** Set while a trace writer records: vCPU threads then keep the pages code runs from. */
    private volatile boolean keepCode;
    private long lastTime;
    /** Counted as chunks are sealed (vCPU threads seal concurrently, each under its own list's lock). */
    private final java.util.concurrent.atomic.LongAdder encodedBytes = new java.util.concurrent.atomic.LongAdder();
    private final ChunkCursor cursor = new ChunkCursor();
    private volatile IntConsumer quietWaker = v -> { };

    public ExitStore(MachineInfo machine) {
        this.machine = machine;
        encoders = new ExitEncoder[machine.vcpus()];
        for (int v = 0; v < encoders.length; v++) {
            sealed.add(new ArrayList<>());
            spilled.add(new ArrayList<>());
            encoders[v] = new ExitEncoder(v, this::onSealed);
        }
    }

    /** Where a spilled chunk's bytes are in the spill file. */
    private record SpilledChunk(long firstSeq, long lastSeq, int count, long offset, int length) {
        Chunk load(int vcpu, SpillFile f) {
            return new Chunk(vcpu, firstSeq, lastSeq, count, f.read(offset, length, ByteBuffer::array));
        }
    }

    /**
     * Keeps about the most recent {@code liveExits} exits in memory from now on and moves older ones to an
     * unlinked temporary file in {@code dir} (a live run; call before it starts).
     */
    public void boundMemory(long liveExits, java.nio.file.Path dir) {
        spiller = new Spiller(this, columns, liveExits, dir);
    }

    public void addListener(StoreListener l) {
        listeners.add(l);
    }

    public void removeListener(StoreListener l) {
        listeners.remove(l);
    }

    // ---- writing (vCPU threads) ----

    /** Records one exit: assigns its seq (written into {@code e}) and encodes it. Allocates nothing. */
    public void append(CapturedExit e) {
        synchronized (columns) {
            if (e.timeNs < lastTime) {
                e.timeNs = lastTime; // vCPU threads race to the lock; keep time monotonic in seq order
            }
            lastTime = e.timeNs;
            e.seq = columns.append(e.timeNs, e.vcpu, e.rawReason);
        }
        encoders[e.vcpu].append(e);
    }

    /** Seals vCPU {@code v}'s open chunk; call from that vCPU's thread (or once it has stopped). */
    public void flush(int v) {
        encoders[v].seal();
    }

    /**
     * Asks every vCPU to seal its open chunk at its next exit, so listeners (a trace writer) see recent exits
     * within a bounded time; a vCPU whose open chunk has not grown for {@link #QUIET_NANOS} takes no exits,
     * so the {@linkplain #setQuietWaker waker} is asked to wake it. One calling thread (a writer's timer);
     * the vCPU threads do the sealing themselves.
     */
    public void requestSeal() {
        long now = System.nanoTime();
        for (int v = 0; v < encoders.length; v++) {
            if (encoders[v].requestSeal(now, QUIET_NANOS)) {
                quietWaker.accept(v);
            }
        }
    }

    /**
     * Sets who wakes a quiet vCPU's thread so it seals its open chunk itself (the machine: a kick out of
     * KVM_RUN). Without one, a vCPU spinning in the guest keeps its last exits unsealed until it exits again.
     */
    public void setQuietWaker(IntConsumer waker) {
        quietWaker = waker;
    }

    /** Adds a whole chunk read from a file (a reader, not a live run). Chunks must come in seq order per vCPU. */
    public void addChunk(Chunk c, long[] timesNs, int[] rawReasons) {
        synchronized (columns) {
            for (int i = 0; i < c.count(); i++) {
                columns.append(timesNs[i], c.vcpu(), rawReasons[i]);
            }
        }
        onSealed(c);
    }

    /** For a trace reader: the columns it fills by seq ({@link ColumnStore#put}) before anyone reads. */
    ColumnStore columnStore() {
        return columns;
    }

    /** For a trace reader: a chunk whose columns it has put itself. */
    void addRecovered(Chunk c) {
        onSealed(c);
    }

    private void onSealed(Chunk c) {
        List<Chunk> list = sealed.get(c.vcpu());
        synchronized (list) {
            list.add(c);
        }
        encodedBytes.add(c.data().length);
        for (StoreListener l : listeners) {
            l.onChunk(c);
        }
        Spiller sp = spiller;
        if (sp != null) {
            sp.sealed(columns.size());
        }
    }

    /** For the spiller: moves every sealed chunk that ends before {@code boundary} to {@code f}. */
    void spillChunksBefore(long boundary, SpillFile f) throws java.io.IOException {
        for (int v = 0; v < encoders.length; v++) {
            List<Chunk> l = sealed.get(v);
            List<Chunk> take = new ArrayList<>();
            synchronized (l) {
                for (int i = 0; i < l.size() && l.get(i).lastSeq() < boundary; i++) {
                    take.add(l.get(i));
                }
            }
            List<SpilledChunk> moved = new ArrayList<>(take.size());
            for (Chunk c : take) {   // outside the lock: the vCPU thread adds chunks meanwhile, never waits on this
                long at = f.append(ByteBuffer.wrap(c.data()));
                moved.add(new SpilledChunk(c.firstSeq(), c.lastSeq(), c.count(), at, c.data().length));
                spilledBytes.add(c.data().length);
            }
            synchronized (l) {   // one step, so a reader finds each chunk in one list or the other
                l.subList(0, take.size()).clear();
                spilled.get(v).addAll(moved);
            }
        }
    }

    /** Says something once to whoever shows the run (a bound reached, a spill that failed). */
    public void notice(String line) {
        for (StoreListener l : listeners) {
            l.onNotice(line);
        }
    }

    public void appendConsole(String text) {
        synchronized (console) {
            console.append(text);
            if (console.length() > CONSOLE_LIMIT) {
                int cut = console.length() - CONSOLE_LIMIT / 2;
                console.delete(0, cut);
            }
        }
        for (StoreListener l : listeners) {
            l.onConsole(text);
        }
    }

    public void addHit(BreakpointHit hit) {
        synchronized (hits) {
            hits.add(hit);
        }
        for (StoreListener l : listeners) {
            l.onBreakpointHit(hit);
        }
    }

    /** Whether vCPU threads should keep the pages code runs from (a trace writer is recording). */
    public boolean keepsCode() {
        return keepCode;
    }

    public void setKeepCode(boolean keep) {
        keepCode = keep;
    }

    /** Keeps a code page (the first copy of each page wins) and tells listeners when it is new. */
    public void addCodePage(CodePage p) {
        if (codePages.add(p)) {
            for (StoreListener l : listeners) {
                l.onCodePage(p);
            }
        }
    }

    /** The kernel events captured beside these exits (set once, before the run starts or the trace loads). */
    /** The run clock's pauses, a live list (the machine's). */
    public void setPauses(Pauses live) {
        pauses = live;
    }

    @Override
    public Pauses pauses() {
        return pauses;
    }

    public void setKernelEvents(KernelEvents events) {
        kernelEvents = events;
    }

    @Override
    public KernelEvents kernelEvents() {
        return kernelEvents;
    }

    public void setOutcome(Outcome o) {
        outcome = o;
        for (StoreListener l : listeners) {
            l.onOutcome(o);
        }
    }

    // ---- reading (any thread) ----

    @Override
    public SymbolTable symbols() {
        return symbols;
    }

    /** The guest's symbols, set once before the run (or as a trace's symbols record is read). */
    public void setSymbols(SymbolTable s) {
        symbols = s == null ? SymbolTable.EMPTY : s;
    }

    @Override
    public MachineInfo machine() {
        return machine;
    }

    @Override
    public long size() {
        return columns.size();
    }

    @Override
    public ExitColumns columns() {
        return columns;
    }

    @Override
    public String console() {
        synchronized (console) {
            return console.toString();
        }
    }

    @Override
    public List<BreakpointHit> breakpointHits() {
        synchronized (hits) {
            return List.copyOf(hits);
        }
    }

    @Override
    public Outcome outcome() {
        return outcome;
    }

    @Override
    public CodePages codePages() {
        return codePages;
    }

    /** Bytes of encoded exit data in sealed chunks (the open chunk is not counted). */
    public long encodedBytes() {
        return encodedBytes.sum();
    }

    /** Heap held by the exit data: encoded chunks plus the columns (what was spilled not counted). */
    public long heapBytes() {
        return encodedBytes() - spilledBytes.sum() + columns.heapBytes();
    }

    /** A copy of vCPU {@code v}'s sealed chunks, in order (spilled ones read back: see {@link #forEachChunk}). */
    public List<Chunk> chunks(int v) {
        List<Chunk> out = new ArrayList<>();
        forEachChunk(v, out::add);
        return out;
    }

    /** Exits in sealed chunks, spilled or not (all of them once a run has ended or was read from a file). */
    public long sealedExits() {
        long n = 0;
        for (int v = 0; v < encoders.length; v++) {
            List<Chunk> l = sealed.get(v);
            synchronized (l) {
                for (Chunk c : l) {
                    n += c.count();
                }
                for (SpilledChunk c : spilled.get(v)) {
                    n += c.count();
                }
            }
        }
        return n;
    }

    /** Visits vCPU {@code v}'s sealed chunks in order, reading spilled ones back one at a time. */
    public void forEachChunk(int v, Consumer<Chunk> visitor) {
        SealedChunks c = sealedChunks(v);
        for (SpilledChunk sp : c.spilled()) {
            visitor.accept(sp.load(v, spiller.file()));
        }
        c.live().forEach(visitor);
    }

    /** A vCPU's sealed chunks at one moment: the spilled ones, then those in memory. */
    private record SealedChunks(List<SpilledChunk> spilled, List<Chunk> live) {
    }

    private SealedChunks sealedChunks(int v) {
        List<Chunk> l = sealed.get(v);
        synchronized (l) {
            return new SealedChunks(new ArrayList<>(spilled.get(v)), new ArrayList<>(l));
        }
    }

    @Override
    public synchronized ExitRecord get(long seq) {
        if (seq < 0 || seq >= columns.size()) {
            return null;
        }
        int v = columns.vcpu(seq);
        if (v >= encoders.length) {
            return null;                     // ExitColumns.LOST: a damaged trace lost this exit
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            Chunk c = findSealed(v, seq);
            if (c != null) {
                return cursor.seek(c.vcpu(), c.data(), c.data().length, c.firstSeq(), seq);
            }
            ExitEncoder.Open o = encoders[v].openChunk();
            if (o != null && seq >= o.firstSeq) {
                int len = o.length;          // read the length first: bytes below it are final
                byte[] b = o.buf;
                if (seq <= o.lastSeq) {
                    return cursor.seek(v, b, len, o.firstSeq, seq);
                }
                return null;                 // seq assigned but not yet encoded
            }
        }
        return null;
    }

    private Chunk findSealed(int v, long seq) {
        List<Chunk> l = sealed.get(v);
        SpilledChunk sp;
        synchronized (l) {
            int i = find(l, seq, Chunk::firstSeq, Chunk::lastSeq);
            if (i >= 0) {
                return l.get(i);
            }
            List<SpilledChunk> old = spilled.get(v);
            i = find(old, seq, SpilledChunk::firstSeq, SpilledChunk::lastSeq);
            if (i < 0) {
                return null;
            }
            sp = old.get(i);
        }
        return sp.load(v, spiller.file());   // outside the lock: the disk may be slow
    }

    /** The index of the element of {@code l} (in seq order) whose seqs include {@code seq}, or -1. */
    private static <T> int find(List<T> l, long seq, java.util.function.ToLongFunction<T> first,
                                java.util.function.ToLongFunction<T> last) {
        int lo = 0;
        int hi = l.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            T c = l.get(mid);
            if (last.applyAsLong(c) < seq) {
                lo = mid + 1;
            } else if (first.applyAsLong(c) > seq) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    @Override
    public void scan(long from, long to, Consumer<ExitRecord> visitor) {
        scanInto(from, to, e -> visitor.accept(e.toRecord()));
    }

    @Override
    public void scanInto(long from, long to, Consumer<CapturedExit> visitor) {
        to = Math.min(to, size());
        List<VcpuCursor> cursors = new ArrayList<>();
        for (int v = 0; v < encoders.length; v++) {
            VcpuCursor c = new VcpuCursor(v, from, to);
            if (c.peek() != null) {
                cursors.add(c);
            }
        }
        while (!cursors.isEmpty()) {
            VcpuCursor best = cursors.get(0);
            for (VcpuCursor c : cursors) {
                if (c.peek().seq < best.peek().seq) {
                    best = c;
                }
            }
            visitor.accept(best.peek());
            best.advance();
            if (best.peek() == null) {
                cursors.remove(best);
            }
        }
    }

    /**
     * Walks one vCPU's exits in [from, to) across its spilled chunks (read back one at a time), its sealed
     * chunks and then its open chunk, into one buffer.
     */
    private final class VcpuCursor {
        private final List<java.util.function.Supplier<byte[]>> datas = new ArrayList<>();
        private final List<Integer> lengths = new ArrayList<>();
        private final int vcpu;
        private final long from;
        private final long to;
        private final CapturedExit buffer = new CapturedExit();
        private int index;
        private ChunkDecoder decoder;
        private boolean has;

        VcpuCursor(int vcpu, long from, long to) {
            this.vcpu = vcpu;
            this.from = from;
            this.to = to;
            SealedChunks all = sealedChunks(vcpu);
            for (SpilledChunk c : all.spilled()) {
                if (c.lastSeq() >= from && c.firstSeq() < to) {
                    datas.add(() -> c.load(vcpu, spiller.file()).data());
                    lengths.add(c.length());
                }
            }
            for (Chunk c : all.live()) {
                if (c.lastSeq() >= from && c.firstSeq() < to) {
                    datas.add(c::data);
                    lengths.add(c.data().length);
                }
            }
            ExitEncoder.Open o = encoders[vcpu].openChunk();
            if (o != null && o.firstSeq < to) {
                int len = o.length;
                byte[] b = o.buf;
                datas.add(() -> b);
                lengths.add(len);
            }
            advance();
        }

        /** The exit the cursor is on (its buffer, overwritten by the next advance), or null at the end. */
        CapturedExit peek() {
            return has ? buffer : null;
        }

        void advance() {
            has = false;
            while (true) {
                if (decoder == null || !decoder.hasNext()) {
                    if (index >= datas.size()) {
                        return;
                    }
                    decoder = new ChunkDecoder(vcpu, datas.get(index).get(), lengths.get(index));
                    index++;
                }
                if (!decoder.hasNext()) {
                    continue;
                }
                decoder.nextIntoReused(buffer);   // the buffer is this cursor's alone, read between calls only
                if (buffer.seq >= to) {
                    index = datas.size();
                    decoder = null;
                    return;
                }
                if (buffer.seq >= from) {
                    has = true;
                    return;
                }
            }
        }
    }

    /** Remembers where the last lookup stopped, so stepping through exits one by one stays cheap. */
    private static final class ChunkCursor {
        private byte[] data;
        private long firstSeq = -1;
        private ChunkDecoder decoder;
        private ExitRecord last;
        private int length;

        ExitRecord seek(int vcpu, byte[] d, int len, long first, long seq) {
            boolean reuse = d == data && first == firstSeq && last != null && last.seq() <= seq && len >= length;
            if (!reuse) {
                data = d;
                firstSeq = first;
                length = len;
                decoder = new ChunkDecoder(vcpu, d, len);
                last = null;
            } else if (len > length) {
                // the open chunk grew: restart (its decoder was bounded by the old length)
                length = len;
                decoder = new ChunkDecoder(vcpu, d, len);
                last = null;
            }
            if (last != null && last.seq() == seq) {
                return last;
            }
            while (decoder.hasNext()) {
                last = decoder.next();
                if (last.seq() == seq) {
                    return last;
                }
                if (last.seq() > seq) {
                    break;
                }
            }
            data = null; // lost our place; start over next time
            return null;
        }
    }

}
