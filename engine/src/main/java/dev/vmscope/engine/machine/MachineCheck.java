package dev.vmscope.engine.machine;

import dev.vmscope.engine.kvm.CpuidTable;
import dev.vmscope.engine.kvm.Kvm;
import dev.vmscope.engine.sys.KvmIoctls;

/**
 * The machine-check architecture a guest sees, set up as QEMU does (target/i386 {@code mce_init} and
 * {@code kvm_arch_init_vcpu}): 10 banks and MCG_CTL_P | MCG_SER_P, limited to what KVM emulates. Without
 * KVM_X86_SETUP_MCE a vCPU keeps KVM's default of 32 banks, a machine no QEMU guest ever sees.
 */
public record MachineCheck(long mcgCap) {
    /** QEMU's MCE_BANKS_DEF. */
    static final int QEMU_BANKS = 10;
    static final long MCG_CTL_P = 1L << 8;
    static final long MCG_SER_P = 1L << 24;
    static final long BANKS_MASK = 0xFF;
    private static final int CPUID_MCE = 1 << 7;
    private static final int CPUID_MCA = 1 << 14;

    /**
     * What every vCPU gets on this host, or null where QEMU would leave MCE alone too: no KVM_CAP_MCE, or a CPU
     * model (CPUID family below 6, or without the MCE and MCA bits) that has no machine-check banks.
     */
    static MachineCheck forHost(Kvm kvm, CpuidTable cpuid) {
        int[] leaf1 = cpuid.leaf(1);
        int maxBanks = kvm.checkExtension(KvmIoctls.KVM_CAP_MCE);   // the extension's value is KVM's bank limit
        if (maxBanks <= 0 || leaf1 == null || ((leaf1[0] >> 8) & 0xF) < 6
                || (leaf1[3] & (CPUID_MCE | CPUID_MCA)) != (CPUID_MCE | CPUID_MCA)) {
            return null;
        }
        return new MachineCheck((MCG_CTL_P | MCG_SER_P) & kvm.mceCapSupported() | Math.min(QEMU_BANKS, maxBanks));
    }

    public int banks() {
        return (int) (mcgCap & BANKS_MASK);
    }

    @Override
    public String toString() {
        return String.format("machine check: %d banks, MCG_CAP 0x%x", banks(), mcgCap);
    }
}
