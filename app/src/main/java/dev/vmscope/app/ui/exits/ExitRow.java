package dev.vmscope.app.ui.exits;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.time.TimeText;

/**
 * One row of the exit list. Created on demand for visible rows only: seq, time, vCPU and reason come from
 * the columns at no cost; the decoded detail and RIP are looked up lazily through the model's window cache.
 */
public final class ExitRow {
    private final ExitTableViewModel model;
    private final long seq;
    private final long timeNs;
    private final int vcpu;
    private final int reasonCode;

    ExitRow(ExitTableViewModel model, long seq, long timeNs, int vcpu, int reasonCode) {
        this.model = model;
        this.seq = seq;
        this.timeNs = timeNs;
        this.vcpu = vcpu;
        this.reasonCode = reasonCode;
    }

    public long seq() {
        return seq;
    }

    public long timeNs() {
        return timeNs;
    }

    /** The time column's text, as every time in vmscope reads ({@link TimeText#instant}). */
    public String time() {
        return TimeText.instant(timeNs);
    }

    public int vcpu() {
        return vcpu;
    }

    public int reasonCode() {
        return reasonCode;
    }

    /** The decoded record (from the model's cache), or null if the source does not have it (yet). */
    public ExitRecord record() {
        return model.record(seq);
    }

    public String detail() {
        ExitRecord r = record();
        return r == null ? "…" : r.exit().detail();
    }

    /** Kernel events since the vCPU's previous exit (no decoding); -1 when the run has none. */
    public long kernelEvents() {
        return model.kernelEventsBefore(seq);
    }

    /** {@code 0x1000a0 <putc+0x5>}: the RIP, named when the guest's symbols cover it. */
    public String rip() {
        ExitRecord r = record();
        return r == null ? "" : String.format("0x%x%s", r.state().rip(),
                model.symbols().suffix(r.state().codeLinearAddress()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExitRow r && r.seq == seq && r.model == model;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "#" + seq;
    }
}
