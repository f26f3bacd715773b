package dev.vmscope.engine.time;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * A run's pauses, oldest first, appended by the clock and read by any thread without a lock: a script that steps
 * exit by exit makes one per step, so appending copies nothing per pause (the array doubles) and readers (the
 * timeline, once a frame) binary-search it.
 */
public final class Pauses extends AbstractList<Pause> implements RandomAccess {
    /** No pauses (a trace: its times are already without them). */
    public static final Pauses NONE = new Pauses();

    private volatile Pause[] items = new Pause[16];
    private volatile int size;

    synchronized void append(Pause p) {
        Pause[] a = items;
        if (size == a.length) {
            a = Arrays.copyOf(a, a.length * 2);
        }
        a[size] = p;
        items = a;
        size = size + 1;      // published last: a reader that sees it sees the pause
    }

    @Override
    public Pause get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
        return items[index];
    }

    @Override
    public int size() {
        return size;
    }
}
