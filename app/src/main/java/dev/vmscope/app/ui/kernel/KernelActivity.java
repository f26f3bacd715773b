package dev.vmscope.app.ui.kernel;

import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;

import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel did for one vCPU between two of its user-space exits (the kernel events of that vCPU with
 * previous exit's time &lt; t &lt;= this exit's time), as the "why this exit happened" pane and the exit list's
 * drill-down show it. Decodes at most {@link #SHOWN} events, the latest ones; {@code total} counts them all.
 * Immutable; built off the FX thread.
 *
 * @param captured  whether the run has kernel events at all
 * @param note      why there are none (kernel events off or not permitted), else ""
 * @param previous  the vCPU's previous exit, or -1 (the events since the vCPU started)
 * @param total     how many events lie in between
 * @param events    the latest of them, decoded, oldest first
 */
public record KernelActivity(boolean captured, String note, long previous, long total, List<KernelEvent> events) {
    /** Events decoded for the pane at most: 17,000 emulated instructions are counted, not listed. */
    public static final int SHOWN = 200;

    public KernelActivity {
        events = List.copyOf(events);
    }

    /** The kernel events before exit {@code r} of {@code source} (any thread but the FX thread: it decodes). */
    public static KernelActivity before(ExitSource source, ExitRecord r) {
        KernelEvents k = source.kernelEvents();
        if (!k.capture().on()) {
            return new KernelActivity(false, k.capture().note(), -1, 0, List.of());
        }
        ExitColumns c = source.columns();
        long prev = c.previousOfSameVcpu(r.seq());
        long after = prev < 0 ? Long.MIN_VALUE : c.timeNs(prev);
        long total = k.countBetween(r.vcpu(), after, r.timeNs());
        return new KernelActivity(true, "", prev, total, k.between(r.vcpu(), after, r.timeNs(), SHOWN));
    }

    /**
     * How many kernel events came before exit {@code seq} since its vCPU's previous exit, without decoding any
     * (two binary searches and a walk back to the previous exit); -1 when the run has no kernel events.
     */
    public static long countBefore(ExitSource source, long seq) {
        KernelEvents k = source.kernelEvents();
        if (!k.capture().on()) {
            return -1;
        }
        ExitColumns c = source.columns();
        long prev = c.previousOfSameVcpu(seq);
        return k.countBetween(c.vcpu(seq), prev < 0 ? Long.MIN_VALUE : c.timeNs(prev), c.timeNs(seq));
    }

    /** A heading for the list: how many, since which exit. */
    public String heading(int vcpu) {
        if (!captured) {
            return "Kernel events: none — " + note;
        }
        String since = previous < 0 ? "since vCPU " + vcpu + " started" : "since vCPU " + vcpu + "'s previous exit #"
                + previous;
        if (total == 0) {
            return "What the kernel did " + since + ": nothing it traced (no kernel event in between)";
        }
        return "What the kernel did " + since + ": " + String.format("%,d", total) + " kernel event"
                + (total == 1 ? "" : "s") + (total > events.size() ? " (the last " + events.size() + " listed)" : "");
    }

    /**
     * One line per event: its time relative to the exit, its name and what it did ("−3.2 µs  kvm_emulate_insn
     * emulated mov cr0, eax …"). Runs of the same event with the same words collapse into one line with a count.
     */
    public List<String> lines(long exitTimeNs) {
        List<String> out = new ArrayList<>();
        String last = null;
        int repeat = 0;
        for (KernelEvent e : events) {
            String what = e.name() + "  " + e.summary();
            if (what.equals(last)) {
                repeat++;
                continue;
            }
            flush(out, repeat);
            repeat = 0;
            last = what;
            out.add("−" + TimeText.duration(exitTimeNs - e.timeNs()) + "  " + what);
        }
        flush(out, repeat);
        return out;
    }

    private static void flush(List<String> out, int repeat) {
        if (repeat > 0) {
            int i = out.size() - 1;
            out.set(i, out.get(i) + "  (×" + (repeat + 1) + ")");
        }
    }
}
