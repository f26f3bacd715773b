package dev.vmscope.engine.kernel;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kernel events in memory: one writer (the tracefs reader thread, or a trace file's loader) appends raw
 * records in time order, readers on any thread see what {@link #publish()} made visible. Per event: its time,
 * vCPU and type in columns, and its raw record (common fields and all) in blocks of {@value #BLOCK} events,
 * decoded only when asked through the recording kernel's formats. Each vCPU has an index of its own events.
 */
public final class KernelEventStore implements KernelEvents {
    static final int BLOCK = 4096;

    private final EventFormats formats;
    private final int vcpus;
    private final KernelCapture capture;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    // grown arrays are assigned to volatile fields after their copy, so a reader never sees one half-filled
    private volatile Block[] blocks = new Block[16];
    private final VcpuIndex[] byVcpu;
    private int[] vcpuCount;
    private long[] typeCount;
    private long size;
    private long lost;
    /** What readers see; replaced (not changed) at each publish. */
    private volatile Published published;

    private record Published(long size, int[] vcpuCount, long[] typeCount, long lost, long completeUntil) {
    }

    private static final class Block {
        final long[] time = new long[BLOCK];
        final int[] meta = new int[BLOCK];    // vcpu << 16 | type index
        final int[] end = new int[BLOCK];     // end of each record in data
        volatile byte[] data = new byte[BLOCK * 32];
        int used;
    }

    private static final class VcpuIndex {
        volatile int[] at = new int[16];
    }

    /** An empty store for {@code vcpus} vCPUs whose records {@code formats} describes (null: nothing to hold). */
    public KernelEventStore(EventFormats formats, int vcpus, KernelCapture capture) {
        this.formats = formats;
        this.vcpus = Math.max(vcpus, 0);
        this.capture = capture;
        this.byVcpu = new VcpuIndex[this.vcpus];
        for (int v = 0; v < this.vcpus; v++) {
            byVcpu[v] = new VcpuIndex();
        }
        this.vcpuCount = new int[this.vcpus];
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
     * Appends one event (writer thread only; times must not decrease). {@code vcpu} outside 0 … vcpus-1 or an
     * unknown type is refused and returns false.
     */
    public boolean append(long timeNs, int vcpu, int type, byte[] data, int at, int length) {
        if (vcpu < 0 || vcpu >= vcpus || type < 0 || type >= typeCount.length || length < 0) {
            return false;
        }
        int b = (int) (size / BLOCK);
        int i = (int) (size % BLOCK);
        Block[] all = blocks;
        if (b == all.length) {
            all = Arrays.copyOf(all, b * 2);
            blocks = all;
        }
        Block block = all[b];
        if (block == null) {
            block = new Block();
            all[b] = block;
        }
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
        int n = vcpuCount[vcpu];
        int[] mine = byVcpu[vcpu].at;
        if (n == mine.length) {
            mine = Arrays.copyOf(mine, n * 2);
            byVcpu[vcpu].at = mine;
        }
        mine[n] = (int) size;
        vcpuCount[vcpu] = n + 1;
        typeCount[type]++;
        size++;
        return true;
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
        return blocks[(int) (index / BLOCK)];
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
        int[] c = published.vcpuCount;
        return vcpu < 0 || vcpu >= c.length ? 0 : c[vcpu];
    }

    @Override
    public long indexOf(int vcpu, long k) {
        if (k < 0 || k >= countOf(vcpu)) {
            throw new IndexOutOfBoundsException("event " + k + " of vCPU " + vcpu);
        }
        return byVcpu[vcpu].at[(int) k];
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
