package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;

import java.util.List;

/**
 * What the kernel did for one vCPU before one of its exits: its kernel events with previous exit's time &lt; t
 * &lt;= this exit's time, the latest few decoded and all of them counted. What the console's {@code kevents}
 * and gdb's {@code monitor kevents} print.
 *
 * @param previous the vCPU's previous exit, or -1 (then the events since the vCPU started)
 * @param total    how many events lie in between
 * @param events   the latest of them, decoded, oldest first
 */
public record KernelEventsBefore(long previous, long total, List<KernelEvent> events) {
    public KernelEventsBefore {
        events = List.copyOf(events);
    }

    /** The kernel events before {@code exit} of {@code source}, decoding at most {@code max} (decodes: not the FX thread). */
    public static KernelEventsBefore of(ExitSource source, ExitRecord exit, int max) {
        KernelEvents k = source.kernelEvents();
        long prev = source.columns().previousOfSameVcpu(exit.seq());
        long after = prev < 0 ? Long.MIN_VALUE : source.columns().timeNs(prev);
        return new KernelEventsBefore(prev, k.countBetween(exit.vcpu(), after, exit.timeNs()),
                k.between(exit.vcpu(), after, exit.timeNs(), max));
    }

    /** Events counted but not decoded (earlier than the ones listed). */
    public long earlier() {
        return total - events.size();
    }

    /** {@code    kvm_pio              out port 0x3f8 size 1 = 0x48 'H'}: one indented line per event. */
    public static String line(KernelEvent e) {
        return String.format("    %-20s %s", e.name(), e.summary());
    }
}
