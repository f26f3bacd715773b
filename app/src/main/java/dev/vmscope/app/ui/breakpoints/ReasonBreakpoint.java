package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.engine.exit.KvmExitReason;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One row of the exit-reason checklist: break when the guest exits for {@link #reason()}, optionally only when
 * the conditions hold ({@code port=0x3f8 out}, {@code index=0x10 write}, {@code vcpu=1 hit=3} …, the engine's
 * {@code ExitBreakpoint} syntax after the reason). Properties are FX-thread state.
 */
public final class ReasonBreakpoint extends BreakpointRow {
    private final KvmExitReason reason;
    private final String name;
    private final String example;
    private final boolean common;
    private final BooleanProperty checked = new SimpleBooleanProperty(this, "checked");
    private final StringProperty conditions = new SimpleStringProperty(this, "conditions", "");

    ReasonBreakpoint(KvmExitReason reason, String name, String example, boolean common) {
        this.reason = reason;
        this.name = name;
        this.example = example;
        this.common = common;
    }

    /** True for the reasons people break on most (shown first); the rest are folded under "more". */
    public boolean common() {
        return common;
    }

    public KvmExitReason reason() {
        return reason;
    }

    /** The word the engine's spec starts with and the checklist shows, e.g. IO, RDMSR. */
    public String name() {
        return name;
    }

    /** Conditions this reason understands, as a prompt, e.g. {@code port=0x3f8[-0x3ff] in|out}. */
    public String example() {
        return example;
    }

    @Override
    public String key() {
        return "reason." + name;
    }

    /** The engine spec: the reason followed by the conditions. */
    public String spec() {
        String c = conditions.get().trim();
        return c.isEmpty() ? name : name + " " + c;
    }

    public BooleanProperty checkedProperty() {
        return checked;
    }

    public boolean checked() {
        return checked.get();
    }

    public StringProperty conditionsProperty() {
        return conditions;
    }

    @Override
    public String toString() {
        return (checked.get() ? "[x] " : "[ ] ") + spec();
    }
}
