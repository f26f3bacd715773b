package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.kernel.KvmExitEvent;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;

import java.util.List;

/**
 * The hardware's own exit information for one user-space exit, when the host's {@code kvm:kvm_exit}
 * tracepoint recorded it: the last {@code kvm_exit} of the same vCPU since its previous user-space exit. When
 * there is none, {@code why} says so in words the VMCS pane shows (kernel events off, this host never emits
 * kvm_exit, or events were lost), and the exit information stays derived.
 *
 * @param event the kvm_exit values, or null
 * @param why   why there are none (empty when {@code event} is set)
 */
public record HardwareExit(KvmExitEvent event, String why) {
    /** How far back (kernel events of this vCPU) a lookup decodes looking for the kvm_exit. */
    private static final int LOOKBACK = 4096;

    public static HardwareExit none(String why) {
        return new HardwareExit(null, why);
    }

    public boolean present() {
        return event != null;
    }

    /** The kvm_exit that led to exit {@code seq} of {@code source}, or why there is none. */
    public static HardwareExit before(ExitSource source, ExitRecord exit) {
        KernelEvents k = source.kernelEvents();
        if (!k.capture().on()) {
            return none("exit information is derived: kernel events were not captured for this run"
                    + " (--kernel-events records kvm:kvm_exit where the host emits it)");
        }
        ExitColumns c = source.columns();
        long prev = c.previousOfVcpu(exit.vcpu(), exit.seq(), ExitColumns.PREVIOUS_SEARCH_LIMIT);
        long after = prev < 0 ? Long.MIN_VALUE : c.timeNs(prev);
        List<KernelEvent> events = k.between(exit.vcpu(), after, exit.timeNs(), LOOKBACK);
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).name().equals("kvm_exit")) {
                return new HardwareExit(KvmExitEvent.of(events.get(i)), "");
            }
        }
        if (!k.countsByName().containsKey("kvm_exit")) {
            return none("exit information is derived: kvm:kvm_exit never fired in this run; this host does not"
                    + " emit it (PVM hosts don't; VT-x and AMD-V hosts emit one for every exit)");
        }
        return none("exit information is derived: no kvm:kvm_exit was recorded before this exit"
                + (k.lost() > 0 ? " (" + k.lost() + " kernel events were lost)" : ""));
    }

    /** The exit information with the hardware's values in place of derived ones, marked captured. */
    ExitInfo apply(ExitInfo info) {
        return event == null ? info.withNote(why) : info.withHardware(event);
    }
}
