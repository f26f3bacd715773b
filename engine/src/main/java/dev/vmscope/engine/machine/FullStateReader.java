package dev.vmscope.engine.machine;

import com.sun.jna.Memory;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.kvm.Vcpu;
import dev.vmscope.engine.sys.KvmMsrs;

/**
 * Fills the {@code full}-level words of a snapshot: debug registers, the captured MSRs and MP state. Three
 * ioctls into buffers made once per vCPU.
 */
final class FullStateReader {
    private static final Msr[] MSRS = Msr.values();

    private final Vcpu vcpu;
    private final Memory msrs = new Memory(KvmMsrs.ENTRIES_OFFSET + (long) MSRS.length * KvmMsrs.ENTRY_SIZE);

    FullStateReader(Vcpu vcpu) {
        this.vcpu = vcpu;
        msrs.clear();
    }

    void read(long[] state) {
        Memory d = vcpu.getDebugregsRaw();
        for (int i = 0; i < 4; i++) {
            state[StateLayout.DR0 + i] = d.getLong(i * 8L);
        }
        state[StateLayout.DR6] = d.getLong(32);
        state[StateLayout.DR7] = d.getLong(40);
        state[StateLayout.DEBUGREGS_FLAGS] = d.getLong(48);

        msrs.setInt(0, MSRS.length);
        for (int i = 0; i < MSRS.length; i++) {
            long e = KvmMsrs.ENTRIES_OFFSET + (long) i * KvmMsrs.ENTRY_SIZE;
            msrs.setInt(e, MSRS[i].index);
            msrs.setInt(e + 4, 0);
            msrs.setLong(e + 8, 0);
        }
        int n = vcpu.getMsrs(msrs);   // KVM stops at the first MSR it cannot read
        for (int i = 0; i < MSRS.length; i++) {
            state[StateLayout.MSRS + i] = i < n ? msrs.getLong(KvmMsrs.ENTRIES_OFFSET + (long) i * KvmMsrs.ENTRY_SIZE + 8) : 0;
        }
        state[StateLayout.MP_STATE] = vcpu.getMpState();
        state[StateLayout.FULL_FLAG] = 1;
    }
}
