package dev.vmscope.engine.kernel;

import dev.vmscope.engine.io.SpillFile;
import dev.vmscope.engine.io.WakeableTask;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Kernel events in memory: one writer (the tracefs reader thread, or a trace file's loader) appends raw
 * records in time order, readers on any thread see what {@link #publish()} made visible. Events live in blocks
 * of {@value #BLOCK}: their times, vCPUs and types in columns and their raw records (common fields and all),
 * decoded only when asked through the recording kernel's formats.
 *
 * <p>Every block also has a small head that always stays in memory: its first time and how many events each
 * vCPU had before it. Time searches and the per-vCPU walk go through the heads and then one block, so a block
 * can leave the heap: with {@link #boundMemory} a thread of its own moves the oldest full blocks to a
 * {@link SpillFile} once more than the bound are held, and they read back from there (a spinning guest makes
 * hundreds of thousands of events a second, so without a bound a long run would end in an OutOfMemoryError).
 */
public final class KernelEventStore implements KernelEvents {
    static final int BLOCK = 4096;
    /** The fewest events a bound keeps in memory: a few blocks, so the writer never waits for the disk. */
    public static final long MIN_LIVE_EVENTS = 16L * BLOCK;

    private final EventFormats formats;
    private final int vcpus;
    private final KernelCapture capture;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // grown arrays are assigned to volatile fields after their copy, under this store's lock (so the spilling
    // thread's clearing of a moved block is never lost in a copy); entries below the published size are final
    private volatile Block[] blocks = new Block[16];
    private volatile Head[] heads = new Head[16];
    private long[] vcpuCount;
    private long[] typeCount;
    private long size;
    private long lost;
    /** What readers see; replaced (not changed) at each publish. */
    private volatile Published published;

    private long keep = Long.MAX_VALUE;
    private Path spillDir;
    private Consumer<String> notices = line -> { };
    private WakeableTask spilling;
    /** Blocks below this index live in the spill file. */
    private volatile int spilledBlocks;
    private volatile boolean spillFailed;
    private SpillFile spill;

    private record Published(long size, long[] vcpuCount, long[] typeCount, long lost, long completeUntil) {
    }

    /** What stays on the heap for every block. */
    private static final class Head {
        final long firstTime;
        final long[] vcpuBefore;   // events each vCPU had before this block
        long spillOffset;           // where the block is in the spill file, once moved (under the store's lock)
        int spillLength;

        Head(long firstTime, long[] vcpuBefore) {
            this.firstTime = firstTime;
            this.vcpuBefore = vcpuBefore;
        }
    }

    private static final class Block {
        final long[] time;
        final int[] meta;    // vcpu << 16 | type index
        final int[] end;     // end of each record in data
        volatile byte[] data;
        int used;
        /** Each vCPU's places in this block, for the first {@code count} events; built when first asked. */
        volatile Places places;

        Block() {
            this(new long[BLOCK], new int[BLOCK], new int[BLOCK], new byte[BLOCK * 32]);
        }

        private Block(long[] time, int[] meta, int[] end, byte[] data) {
            this.time = time;
            this.meta = meta;
            this.end = end;
            this.data = data;
        }

        /** A full block as the spill file holds it: the three columns, then the records. */
        ByteBuffer write(ByteBuffer b) {
            b.clear();
            for (int i = 0; i < BLOCK; i++) {
                b.putLong(time[i]).putInt(meta[i]).putInt(end[i]);
            }
            return b.put(data, 0, used).flip();
        }

        static Block read(ByteBuffer b) {
            Block k = new Block(new long[BLOCK], new int[BLOCK], new int[BLOCK], null);
            for (int i = 0; i < BLOCK; i++) {
                k.time[i] = b.getLong();
                k.meta[i] = b.getInt();
                k.end[i] = b.getInt();
            }
            k.used = b.remaining();
            k.data = new byte[k.used];
            b.get(k.data);
            return k;
        }

        Places places(int count, int vcpus) {
            Places p = places;
            if (p == null || p.count < count) {
                p = new Places(count, vcpus, meta);
                places = p;
            }
            return p;
        }
    }

    /** Where each vCPU's events are among a block's first {@code count}. */
    private static final class Places {
        final int count;
        final int[][] of;

        Places(int count, int vcpus, int[] meta) {
            this.count = count;
            int[] n = new int[vcpus];
            for (int i = 0; i < count; i++) {
                n[meta[i] >>> 16]++;
            }
            of = new int[vcpus][];
            for (int v = 0; v < vcpus; v++) {
                of[v] = new int[n[v]];
                n[v] = 0;
            }
            for (int i = 0; i < count; i++) {
                int v = meta[i] >>> 16;
                of[v][n[v]++] = i;
            }
        }
    }

    /** An empty store for {@code vcpus} vCPUs whose records {@code formats} describes (null: nothing to hold). */
    public KernelEventStore(EventFormats formats, int vcpus, KernelCapture capture) {
        this.formats = formats;
        this.vcpus = Math.max(vcpus, 0);
        this.capture = capture;
        this.vcpuCount = new long[this.vcpus];
        this.typeCount = new long[formats == null ? 0 : formats.all().size()];
        this.published = new Published(0, vcpuCount.clone(), typeCount.clone(), 0, Long.MAX_VALUE);
    }

    public EventFormats formats() {
        return formats;
    }

    public int vcpus() {
        return vcpus;
    }

    /**
     * Keeps about the most recent {@code liveEvents} (at least {@value #MIN_LIVE_EVENTS}) in memory from now on
     * and moves older ones to an unlinked temporary file in {@code dir}; {@code notices} hears, once each, that the
     * bound was reached and if the file fails (the events then stay in memory). Call before the first append.
     */
    public void boundMemory(long liveEvents, Path dir, Consumer<String> notices) {
        this.keep = Math.max(liveEvents, MIN_LIVE_EVENTS);
        this.spillDir = dir;
        this.notices = notices;
        this.spilling = new WakeableTask("kernel-events-spill", this::spillDue);
    }

    /** Blocks of events held on the heap now (the rest are in the spill file). */
    public int blocksInMemory() {
        int n = 0;
        for (Block b : blocks) {
            n += b != null ? 1 : 0;
        }
        return n;
    }

    /**
     * Appends one event (writer thread only; times must not decrease). {@code vcpu} outside 0 … vcpus-1 or an
     * unknown type is refused and returns false.
     */
    public boolean append(long timeNs, int vcpu, int type, byte[] data, int at, int length) {
        if (vcpu < 0 || vcpu >= vcpus || type < 0 || type >= typeCount.length || length < 0) {
            return false;
        }
        int b = (int) (size / BLOCK);
        int i = (int) (size % BLOCK);
        if (i == 0) {
            startBlock(b, timeNs);
        }
        Block block = blocks[b];
        byte[] bytes = block.data;
        if (block.used + length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, block.used + length));
            block.data = bytes;
        }
        System.arraycopy(data, at, bytes, block.used, length);
        block.used += length;
        block.time[i] = timeNs;
        block.meta[i] = vcpu << 16 | type;
        block.end[i] = block.used;
        vcpuCount[vcpu]++;
        typeCount[type]++;
        size++;
        return true;
    }

    private void startBlock(int b, long firstTime) {
        if (b == blocks.length) {
            synchronized (this) {
                blocks = Arrays.copyOf(blocks, b * 2);
                heads = Arrays.copyOf(heads, b * 2);
            }
        }
        heads[b] = new Head(firstTime, vcpuCount.clone());
        blocks[b] = new Block();
    }

    /** Sets the lost count to {@code total} unless it is already higher (a trace's loader; writer thread only). */
    public void setLost(long total) {
        lost = Math.max(lost, total);
    }

    /** Adds {@code count} events the kernel reported lost (writer thread only). */
    public void addLost(long count) {
        lost += count;
    }

    /** Makes everything appended so far visible, complete for good (writer thread only). */
    public void publish() {
        publish(Long.MAX_VALUE);
    }

    /**
     * Makes everything appended so far visible to readers and tells the listeners (writer thread only);
     * {@code completeUntilNs}: no event at or before this time will be appended any more.
     */
    public void publish(long completeUntilNs) {
        long from = published.size;
        published = new Published(size, vcpuCount.clone(), typeCount.clone(), lost, completeUntilNs);
        if (size > from) {
            for (Listener l : listeners) {
                l.onEvents(from, size);
            }
        }
        if (spilling != null && !spillFailed && size - (long) spilledBlocks * BLOCK >= keep + BLOCK) {
            spilling.wake();
        }
    }

    /** On the spilling thread: moves every full block that falls outside the bound to the spill file. */
    private void spillDue() {
        if (spillFailed) {
            return;
        }
        int upTo = (int) ((published.size - keep) / BLOCK);
        try {
            for (int b = spilledBlocks; b < upTo; b++) {
                SpillFile f = spillFile();
                Block block = blocks[b];
                ByteBuffer buf = block.write(ByteBuffer.allocate(BLOCK * 16 + block.used));
                int length = buf.remaining();
                long offset = f.append(buf);
                synchronized (this) {
                    heads[b].spillOffset = offset;
                    heads[b].spillLength = length;
                    blocks[b] = null;
                }
                spilledBlocks = b + 1;
            }
        } catch (IOException | RuntimeException | OutOfMemoryError e) {   // never a dead thread's stack trace
            spillFailed = true;
            notices.accept(SpillFile.cannotSpill("kernel events", spillDir, e));
        }
    }

    private SpillFile spillFile() throws IOException {
        if (spill == null) {
            spill = SpillFile.create(spillDir, "kernel events");
            notices.accept(SpillFile.boundReached(keep, "kernel events", spillDir, "--live-kernel-events"));
        }
        return spill;
    }

    @Override
    public KernelCapture capture() {
        return capture;
    }

    @Override
    public long size() {
        return published.size;
    }

    private Block block(long index) {
        if (index < 0 || index >= published.size) {
            throw new IndexOutOfBoundsException("kernel event " + index + " of " + published.size);
        }
        return blockAt((int) (index / BLOCK));
    }

    /** Block {@code b} (below the published size), from the heap or read back from the spill file. */
    private Block blockAt(int b) {
        Block k = blocks[b];
        if (k != null) {
            return k;
        }
        long offset;
        int length;
        synchronized (this) {   // the spilling thread sets these and clears the block under this lock
            offset = heads[b].spillOffset;
            length = heads[b].spillLength;
        }
        return spill.read(offset, length, Block::read);
    }

    @Override
    public long timeNs(long index) {
        return block(index).time[(int) (index % BLOCK)];
    }

    @Override
    public int vcpu(long index) {
        return block(index).meta[(int) (index % BLOCK)] >>> 16;
    }

    /** The type index (into {@link #formats()}) of event {@code index}. */
    public int type(long index) {
        return block(index).meta[(int) (index % BLOCK)] & 0xFFFF;
    }

    @Override
    public String name(long index) {
        return formats.get(type(index)).name();
    }

    /** Event {@code index}'s raw record (a copy). */
    public byte[] record(long index) {
        Block b = block(index);
        int i = (int) (index % BLOCK);
        int start = i == 0 ? 0 : b.end[i - 1];
        return Arrays.copyOfRange(b.data, start, b.end[i]);
    }

    @Override
    public KernelEvent get(long index) {
        return new KernelEvent(index, timeNs(index), vcpu(index), formats.get(type(index)), record(index));
    }

    @Override
    public long completeUntilNs() {
        return published.completeUntil;
    }

    @Override
    public long lost() {
        return published.lost;
    }

    @Override
    public Map<String, Long> countsByName() {
        Published p = published;
        Map<String, Long> out = new LinkedHashMap<>();
        for (int t = 0; t < p.typeCount.length; t++) {
            if (p.typeCount[t] > 0) {
                out.merge(formats.get(t).name(), p.typeCount[t], Long::sum);
            }
        }
        return out;
    }

    @Override
    public long countOf(int vcpu) {
        long[] c = published.vcpuCount;
        return vcpu < 0 || vcpu >= c.length ? 0 : c[vcpu];
    }

    /** Each vCPU's places in block {@code b}, over its published events. */
    private Places places(int b, long size) {
        return blockAt(b).places((int) Math.min(BLOCK, size - (long) b * BLOCK), vcpus);
    }

    @Override
    public long indexOf(int vcpu, long k) {
        if (k < 0 || k >= countOf(vcpu)) {
            throw new IndexOutOfBoundsException("event " + k + " of vCPU " + vcpu);
        }
        long size = published.size;
        Head[] hs = heads;
        // the last block whose vCPU count before it is <= k holds the event (empty blocks share their successor's)
        int lo = 0;
        int hi = (int) ((size - 1) / BLOCK);
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (hs[mid].vcpuBefore[vcpu] <= k) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return (long) lo * BLOCK + places(lo, size).of[vcpu][(int) (k - hs[lo].vcpuBefore[vcpu])];
    }

    @Override
    public long firstAtOrAfter(long timeNs) {
        return firstIndex(timeNs, false);
    }

    @Override
    public long firstOfVcpuAfter(int vcpu, long timeNs) {
        long size = published.size;
        long i = firstIndex(timeNs, true);
        if (i >= size || vcpu < 0 || vcpu >= vcpus) {
            return countOf(vcpu);
        }
        int b = (int) (i / BLOCK);
        int[] mine = places(b, size).of[vcpu];
        int before = Arrays.binarySearch(mine, (int) (i % BLOCK));
        return heads[b].vcpuBefore[vcpu] + (before >= 0 ? before : -before - 1);
    }

    /** The first index whose time is > {@code timeNs} ({@code after}) or >= it; size() if none. */
    private long firstIndex(long timeNs, boolean after) {
        long size = published.size;
        if (size == 0) {
            return 0;
        }
        Head[] hs = heads;
        // the last block starting before the time: every earlier event is before it too, every later block after
        int lo = -1;
        int hi = (int) ((size - 1) / BLOCK);
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (after ? hs[mid].firstTime <= timeNs : hs[mid].firstTime < timeNs) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if (lo < 0) {
            return 0;
        }
        Block k = blockAt(lo);
        int n = (int) Math.min(BLOCK, size - (long) lo * BLOCK);
        int a = 0;
        int z = n;
        while (a < z) {
            int mid = (a + z) >>> 1;
            if (after ? k.time[mid] <= timeNs : k.time[mid] < timeNs) {
                a = mid + 1;
            } else {
                z = mid;
            }
        }
        return (long) lo * BLOCK + a;
    }

    @Override
    public void addListener(Listener l) {
        listeners.add(l);
    }

    @Override
    public void removeListener(Listener l) {
        listeners.remove(l);
    }
}
