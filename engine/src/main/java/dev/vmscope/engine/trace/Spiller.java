package dev.vmscope.engine.trace;

import dev.vmscope.engine.io.SpillFile;
import dev.vmscope.engine.io.WakeableTask;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Keeps a live run's memory bounded: once the store holds more than {@code keep} exits, a thread of its own
 * moves the oldest whole column segments and every sealed chunk that ends before them to a {@link SpillFile},
 * so about the most recent {@code keep} exits stay on the heap and the rest read back from the file. vCPU
 * threads only call {@link #sealed} as a chunk seals (a comparison; rarely a thread start), never wait on
 * the disk. It says so once when the bound is first reached, and once if the spill file fails (the exits then
 * stay in memory and the run goes on).
 */
final class Spiller {
    private final ExitStore store;
    private final ColumnStore columns;
    private final long keep;
    private final Path dir;
    private final WakeableTask spilling = new WakeableTask("vmscope-spill", this::spillDue);
    /** Exits below this seq live in the spill file (a multiple of the column segment). */
    private volatile long spilledBelow;
    private volatile boolean failed;
    private SpillFile file;
    private ByteBuffer buf;

    Spiller(ExitStore store, ColumnStore columns, long keep, Path dir) {
        this.store = store;
        this.columns = columns;
        this.keep = keep;
        this.dir = dir;
    }

    /** The spill file, or null before the first spill. */
    synchronized SpillFile file() {
        return file;
    }

    /** On a vCPU thread, after a chunk sealed with {@code size} exits stored: wakes the spilling thread if due. */
    void sealed(long size) {
        if (!failed && size - spilledBelow >= keep + ColumnStore.segmentExits()) {
            spilling.wake();
        }
    }

    private void spillDue() {
        if (failed) {
            return;
        }
        long seg = ColumnStore.segmentExits();
        long boundary = (store.size() - keep) / seg * seg;
        if (boundary <= spilledBelow) {
            return;
        }
        try {
            SpillFile f = open();
            for (long s = spilledBelow / seg; s < boundary / seg; s++) {
                columns.spill((int) s, f, buf);
            }
            store.spillChunksBefore(boundary, f);
            spilledBelow = boundary;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {   // never a dead thread's stack trace
            failed = true;
            store.notice(SpillFile.cannotSpill("exits", dir, e));
        }
    }

    private SpillFile open() throws IOException {
        synchronized (this) {
            if (file != null) {
                return file;
            }
        }
        SpillFile f = SpillFile.create(dir, "exits");
        buf = ColumnStore.spillBuffer();
        synchronized (this) {
            file = f;
        }
        store.notice(SpillFile.boundReached(keep, "exits", dir, "--live-exits"));
        return f;
    }
}
