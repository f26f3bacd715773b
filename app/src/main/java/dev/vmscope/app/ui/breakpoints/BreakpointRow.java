package dev.vmscope.app.ui.breakpoints;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What every row of the breakpoints panel shows of the live session, whatever the row sets: its hit count,
 * why the engine refused it, and whether the guest is paused on it. FX-thread state.
 */
public abstract sealed class BreakpointRow permits ReasonBreakpoint, AddressBreakpointRow {
    /** Exits that matched so far in this session; -1 while the breakpoint is not set in the engine. */
    private final LongProperty hits = new SimpleLongProperty(this, "hits", -1);
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    /** True while the session is paused on this breakpoint. */
    private final BooleanProperty stopped = new SimpleBooleanProperty(this, "stopped");

    /** The key this row is saved and set in the engine under. */
    public abstract String key();

    public LongProperty hitsProperty() {
        return hits;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanProperty stoppedProperty() {
        return stopped;
    }

    /** No live session any more (or a new one): nothing counted, refused or stopped on. */
    void clearLive() {
        hits.set(-1);
        error.set("");
        stopped.set(false);
    }

    /** Shows the engine's counts: this row's hits (-1 when not set) and whether the guest stopped on it. */
    void show(BreakpointEngine.Counts c) {
        Long n = c.hits().get(key());
        hits.set(n == null ? -1 : n);
        stopped.set(key().equals(c.stoppedOn()));
    }
}
