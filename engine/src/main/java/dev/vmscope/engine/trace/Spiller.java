package dev.vmscope.engine.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Locale;

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
    /** Exits below this seq live in the spill file (a multiple of the column segment). */
    private volatile long spilledBelow;
    private volatile boolean failed;
    private SpillFile file;
    private ByteBuffer buf;
    private boolean running;
    private boolean pending;

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
            wake();
        }
    }

    private synchronized void wake() {
        pending = true;
        if (!running) {
            running = true;
            Thread t = new Thread(this::loop, "vmscope-spill");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Spills until nothing is due, then ends (a later wake starts a new thread). */
    private void loop() {
        while (true) {
            synchronized (this) {
                if (!pending || failed) {
                    running = false;
                    return;
                }
                pending = false;
            }
            spillDue();
        }
    }

    private void spillDue() {
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
            String cause = e instanceof IOException io ? IoErrors.cause(io) : e.toString();
            store.notice(String.format(Locale.ROOT, "cannot move older exits to a temporary file in %s (%s):"
                    + " they stay in memory from now on", dir, cause));
        }
    }

    private SpillFile open() throws IOException {
        synchronized (this) {
            if (file != null) {
                return file;
            }
        }
        SpillFile f = SpillFile.create(dir);
        buf = ColumnStore.spillBuffer();
        synchronized (this) {
            file = f;
        }
        store.notice(String.format(Locale.ROOT, "more than %,d exits: older ones now move to a temporary file in %s"
                + " (deleted already, gone when vmscope ends) and read back from there (--live-exits)", keep, dir));
        return f;
    }
}
