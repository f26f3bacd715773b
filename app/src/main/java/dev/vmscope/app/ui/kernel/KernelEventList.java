package dev.vmscope.app.ui.kernel;

import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import javafx.collections.ObservableListBase;

/**
 * The exit list's drill-down: the kernel events of exit {@code seq}'s vCPU since its previous exit, as a list
 * a ListView can show however many there are. Items are positions; each visible cell decodes its one event
 * ({@link #text}), so 17,000 emulated instructions cost what thirty rows cost. FX thread.
 */
public final class KernelEventList extends ObservableListBase<Long> {
    private final KernelEvents events;
    private final int vcpu;
    private final long from;
    private final long to;
    private final long exitTimeNs;
    private final String title;

    public KernelEventList(ExitSource source, long seq) {
        ExitColumns c = source.columns();
        this.events = source.kernelEvents();
        this.vcpu = c.vcpu(seq);
        this.exitTimeNs = c.timeNs(seq);
        long prev = c.previousOfSameVcpu(seq);
        long after = prev < 0 ? Long.MIN_VALUE : c.timeNs(prev);
        this.from = events.firstOfVcpuAfter(vcpu, after);
        this.to = Math.max(from, events.firstOfVcpuAfter(vcpu, exitTimeNs));
        this.title = String.format("Kernel events before exit #%d (vCPU %d, %s): %,d", seq, vcpu,
                prev < 0 ? "since the vCPU started" : "since exit #" + prev, to - from);
    }

    /** "Kernel events before exit #12 (vCPU 0, since exit #9): 3". */
    public String title() {
        return title;
    }

    @Override
    public Long get(int i) {
        return events.indexOf(vcpu, from + i);
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, to - from);
    }

    /** One row: time before the exit, name, what it did (decodes one event). */
    public String text(long index) {
        KernelEvent e = events.get(index);
        return String.format("−%-11s %-20s %s", TimeText.duration(exitTimeNs - e.timeNs()), e.name(), e.summary());
    }

    public KernelPalette kind(long index) {
        return KernelPalette.of(events.name(index));
    }
}
