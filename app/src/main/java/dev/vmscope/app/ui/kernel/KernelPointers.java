package dev.vmscope.app.ui.kernel;

import dev.vmscope.engine.time.TimeText;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.walkthrough.Walkthrough;

import java.util.ArrayList;
import java.util.List;

/**
 * What a walkthrough step's {@code kernel:} lines point at, found among the kernel events of the stopped exit's
 * vCPU since its previous exit: a few lines for the walkthrough panel ("In the kernel on the way here: …").
 * Reads names first and decodes only events of a named tracepoint. Any thread but the FX thread (it may wait
 * a moment for a live reader to publish the events up to the exit).
 */
public final class KernelPointers {
    /** Matches listed per {@code kernel:} line at most. */
    static final int SHOWN = 3;
    /** Events looked at at most (a step between exits far apart must not decode millions). */
    static final long SCAN_LIMIT = 200_000;

    private KernelPointers() {
    }

    /** The panel's text for {@code pointers} at exit {@code seq} of {@code source}; "" when there are none. */
    public static String text(ExitSource source, long seq, List<Walkthrough.KernelPointer> pointers) {
        if (pointers.isEmpty() || seq < 0 || seq >= source.columns().size()) {
            return "";
        }
        KernelEvents k = source.kernelEvents();
        if (!k.capture().on()) {
            return "In the kernel: not shown, no kernel events in this run (" + k.capture().note() + ").";
        }
        ExitColumns c = source.columns();
        int vcpu = c.vcpu(seq);
        long exitNs = c.timeNs(seq);
        long prev = c.previousOfSameVcpu(seq);
        long from = k.firstOfVcpuAfter(vcpu, prev < 0 ? Long.MIN_VALUE : c.timeNs(prev));
        long to = k.firstOfVcpuAfter(vcpu, exitNs);
        from = Math.max(from, to - SCAN_LIMIT);
        List<String> out = new ArrayList<>();
        out.add("In the kernel on the way to exit #" + seq + " (vCPU " + vcpu + "):");
        for (Walkthrough.KernelPointer p : pointers) {
            int found = 0;
            List<String> lines = new ArrayList<>();
            for (long i = from; i < to; i++) {
                long index = k.indexOf(vcpu, i);
                if (!k.name(index).equals(p.event())) {
                    continue;
                }
                KernelEvent e = k.get(index);
                if (p.matches(e.name(), e.summary())) {
                    if (found++ < SHOWN) {
                        lines.add("  −" + TimeText.duration(exitNs - e.timeNs()) + "  " + e.name() + "  " + e.summary());
                    }
                }
            }
            if (found == 0) {
                out.add("  " + p + ": none before this exit" + (k.countsByName().containsKey(p.event()) ? ""
                        : " (this host emitted no " + p.event() + " in this run)"));
            } else {
                out.addAll(lines);
                if (found > SHOWN) {
                    out.add(String.format("  … %,d such events in all", found));
                }
            }
        }
        return String.join("\n", out);
    }
}
