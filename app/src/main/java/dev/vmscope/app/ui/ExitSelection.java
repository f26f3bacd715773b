package dev.vmscope.app.ui;

import dev.vmscope.engine.trace.ExitColumns;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;

/**
 * The selected exit, shared by every pane: selecting anywhere selects everywhere. Holds a seq number, or
 * {@link #NONE}. FX-thread state (panes bind to it), but it needs no running toolkit: tests use it plainly.
 */
public final class ExitSelection {
    public static final long NONE = -1;

    private final ReadOnlyLongWrapper seq = new ReadOnlyLongWrapper(this, "seq", NONE);
    private ExitColumns columns;

    /** The columns the selection moves over (null: nothing to select). */
    public void setColumns(ExitColumns columns) {
        this.columns = columns;
        if (columns == null || seq.get() >= columns.size()) {
            seq.set(NONE);
        }
    }

    public ReadOnlyLongProperty seqProperty() {
        return seq.getReadOnlyProperty();
    }

    public long seq() {
        return seq.get();
    }

    public boolean isEmpty() {
        return seq.get() == NONE;
    }

    private long size() {
        return columns == null ? 0 : columns.size();
    }

    /** Selects exit {@code s}, clamped into the run; NONE clears. */
    public void select(long s) {
        long n = size();
        if (s == NONE || n == 0) {
            seq.set(NONE);
        } else {
            seq.set(Math.max(0, Math.min(n - 1, s)));
        }
    }

    public void clear() {
        seq.set(NONE);
    }

    /** Moves by {@code delta} exits (any vCPU); from no selection, forward starts at the first exit. */
    public void move(long delta) {
        long n = size();
        if (n == 0) {
            return;
        }
        long cur = seq.get();
        if (cur == NONE) {
            select(delta >= 0 ? 0 : n - 1);
        } else {
            select(cur + delta);
        }
    }

    public void next() {
        move(1);
    }

    public void previous() {
        move(-1);
    }

    public void first() {
        select(0);
    }

    public void last() {
        select(size() - 1);
    }

    /** The next (dir > 0) or previous exit of the same vCPU as the selection; stays put if there is none. */
    public void moveSameVcpu(int dir) {
        long cur = seq.get();
        if (cur == NONE || columns == null) {
            move(dir);
            return;
        }
        int v = columns.vcpu(cur);
        long n = columns.size();
        for (long s = cur + dir; s >= 0 && s < n; s += dir) {
            if (columns.vcpu(s) == v) {
                seq.set(s);
                return;
            }
        }
    }
}
