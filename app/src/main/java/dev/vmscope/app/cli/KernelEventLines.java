package dev.vmscope.app.cli;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;

import java.io.PrintWriter;
import java.util.List;

/** How the command line shows kernel events: one indented line each, and the one line when there are none. */
final class KernelEventLines {
    private KernelEventLines() {
    }

    /** {@code    kvm_pio            out port 0x3f8 size 1 = 0x48 'H'} */
    static String line(KernelEvent e) {
        return String.format("    %-20s %s", e.name(), e.summary());
    }

    /** Prints vCPU {@code exit.vcpu()}'s kernel events since its previous exit (at most {@code max}, the latest). */
    static int printBefore(PrintWriter out, ExitSource source, ExitRecord exit, int max) {
        KernelEvents k = source.kernelEvents();
        long prev = source.columns().previousOfVcpu(exit.vcpu(), exit.seq(), ExitColumns.PREVIOUS_SEARCH_LIMIT);
        long after = prev < 0 ? Long.MIN_VALUE : source.columns().timeNs(prev);
        long total = k.countBetween(exit.vcpu(), after, exit.timeNs());
        List<KernelEvent> events = k.between(exit.vcpu(), after, exit.timeNs(), max);
        if (total > events.size()) {
            out.printf("    … %d earlier kernel events%n", total - events.size());
        }
        events.forEach(e -> out.println(line(e)));
        return events.size();
    }

    /** When kernel events were asked for but are off: the one line saying why, on stderr. */
    static void warnIfOff(boolean requested, KernelEvents k, PrintWriter err) {
        if (requested && !k.capture().on()) {
            err.println("vmscope: " + k.capture().note());
            err.flush();
        }
    }
}
