package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.engine.debug.AddressBreakpoint;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * A hardware breakpoint row: execute, write or read/write at a linear address, 1/2/4/8 bytes. Disabled rows
 * give their debug register back (the CPU has four). FX-thread state.
 */
public final class AddressBreakpointRow {
    private static int nextKey = 1;

    private final String key = "address." + nextKey++;
    private final long address;
    private final AddressBreakpoint.Kind kind;
    private final int length;
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled", true);
    private final LongProperty hits = new SimpleLongProperty(this, "hits", -1);
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final BooleanProperty stopped = new SimpleBooleanProperty(this, "stopped");

    AddressBreakpointRow(long address, AddressBreakpoint.Kind kind, int length) {
        this.address = address;
        this.kind = kind;
        this.length = kind == AddressBreakpoint.Kind.EXECUTE ? 1 : length;
    }

    public String key() {
        return key;
    }

    public long address() {
        return address;
    }

    public AddressBreakpoint.Kind kind() {
        return kind;
    }

    public int length() {
        return length;
    }

    /** x, w or rw: how the panel and the saved file spell the kind. */
    public String kindWord() {
        return kindWord(kind);
    }

    static String kindWord(AddressBreakpoint.Kind k) {
        return switch (k) {
            case EXECUTE -> "x";
            case WRITE -> "w";
            case READ_WRITE -> "rw";
        };
    }

    /** e.g. {@code 0x100f x} or {@code 0x2000 w len 4}. */
    public String label() {
        return String.format("0x%x %s%s", address, kindWord(), length > 1 ? " len " + length : "");
    }

    public BooleanProperty enabledProperty() {
        return enabled;
    }

    public boolean enabled() {
        return enabled.get();
    }

    public LongProperty hitsProperty() {
        return hits;
    }

    public StringProperty errorProperty() {
        return error;
    }

    public BooleanProperty stoppedProperty() {
        return stopped;
    }

    @Override
    public String toString() {
        return (enabled.get() ? "[x] " : "[ ] ") + label();
    }
}
