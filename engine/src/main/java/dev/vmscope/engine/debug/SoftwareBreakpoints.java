package dev.vmscope.engine.debug;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.kvm.Kvm;
import dev.vmscope.engine.kvm.Vcpu;
import dev.vmscope.engine.kvm.Vm;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.sys.KvmGuestDebug;
import dev.vmscope.engine.sys.KvmIoctls;
import dev.vmscope.engine.sys.KvmRegs;
import dev.vmscope.engine.sys.KvmSregs;

/**
 * Whether this host's KVM reports an int3 under guest debugging to user space (KVM_EXIT_DEBUG, exception 3)
 * as the API promises. On PVM hosts, like vmscope's development host, it ends in KVM_EXIT_INTERNAL_ERROR
 * instead, and elsewhere the int3 may simply reach the guest's own handler (KVM_EXIT_HLT in the probe). Probed
 * once with a two-byte real-mode guest ({@code int3; hlt}) whose vector 3 points at the hlt.
 */
public final class SoftwareBreakpoints {
    private static volatile String probed;

    private SoftwareBreakpoints() {
    }

    /** The exit an int3 under KVM_GUESTDBG_USE_SW_BP produces on this host: DEBUG where it works. */
    public static synchronized KvmExitReason probe(String kvmDevice) {
        try (Kvm kvm = Kvm.open(kvmDevice); Vm vm = kvm.createVm(); GuestMemory mem = new GuestMemory(0x10000)) {
            vm.mapMemory(mem);
            mem.writeByte(0x1000, 0xCC);
            mem.writeByte(0x1001, 0xF4);
            mem.writeInt(3 * 4, 0x1001);   // IVT vector 3 → 0000:1001 (the hlt), should the guest take the int3 itself
            try (Vcpu v = vm.createVcpu(0)) {
                KvmSregs s = new KvmSregs();
                v.getSregs(s);
                s.cs.base = 0;
                s.cs.selector = 0;
                v.setSregs(s);
                KvmRegs r = new KvmRegs();
                r.rip = 0x1000;
                r.rflags = 2;
                v.setRegs(r);
                KvmGuestDebug d = new KvmGuestDebug();
                d.control = KvmIoctls.KVM_GUESTDBG_ENABLE | KvmIoctls.KVM_GUESTDBG_USE_SW_BP;
                v.setGuestDebug(d);
                return v.run() == Vcpu.RunResult.EXIT ? KvmExitReason.of(v.exitReason()) : KvmExitReason.INTR;
            }
        }
    }

    /** Why vmscope offers no software breakpoints here; the probe's finding is part of the message. */
    static String unsupportedReason(String kvmDevice) {
        if (probed == null) {
            KvmExitReason r;
            try {
                r = probe(kvmDevice);
            } catch (RuntimeException e) {
                r = null;
            }
            probed = r == KvmExitReason.DEBUG
                    ? "software (int3) breakpoints are not implemented in vmscope yet (this KVM would report them);"
                    + " use a hardware breakpoint (break addr ADDR x, up to four)"
                    : "software (int3) breakpoints are not available: on this KVM an int3 under guest debugging ends in "
                    + (r == null ? "an error" : "KVM_EXIT_" + r.name()) + (r == KvmExitReason.HLT
                    ? " (the guest's own #BP handler ran)" : "") + " instead of a debug exit; use a hardware"
                    + " breakpoint (break addr ADDR x, up to four)";
        }
        return probed;
    }
}
