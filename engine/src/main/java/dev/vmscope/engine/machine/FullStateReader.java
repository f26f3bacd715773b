package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.kvm.Vcpu;

/**
 * Fills the {@code full}-level words of a snapshot: debug registers, the captured MSRs and MP state. Three
 * ioctls into buffers the vCPU keeps, no allocation.
 */
final class FullStateReader {
    private static final int[] MSR_INDICES = java.util.Arrays.stream(Msr.values()).mapToInt(m -> m.index).toArray();

    private final Vcpu vcpu;

    FullStateReader(Vcpu vcpu) {
        this.vcpu = vcpu;
    }

    void read(long[] state) {
        vcpu.readDebugregs(state, StateLayout.DR0);
        vcpu.readMsrs(MSR_INDICES, state, StateLayout.MSRS);
        state[StateLayout.MP_STATE] = vcpu.getMpState();
        state[StateLayout.FULL_FLAG] = 1;
    }
}
