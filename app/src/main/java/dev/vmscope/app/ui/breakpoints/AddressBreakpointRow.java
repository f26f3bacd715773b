package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.engine.debug.AddressBreakpoint;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * A hardware breakpoint row: execute, write or read/write at a linear address, 1/2/4/8 bytes. Disabled rows
 * give their debug register back (the CPU has four). FX-thread state.
 */
public final class AddressBreakpointRow extends BreakpointRow {
    private static int nextKey = 1;

    private final String key = "address." + nextKey++;
    private final long address;
    private final AddressBreakpoint.Kind kind;
    private final int length;
    private final BooleanProperty enabled = new SimpleBooleanProperty(this, "enabled", true);

    AddressBreakpointRow(long address, AddressBreakpoint.Kind kind, int length) {
        this.address = address;
        this.kind = kind;
        this.length = kind == AddressBreakpoint.Kind.EXECUTE ? 1 : length;
    }

    @Override
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

    @Override
    public String toString() {
        return (enabled.get() ? "[x] " : "[ ] ") + label();
    }
}
