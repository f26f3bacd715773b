package dev.vmscope.engine.kvm;

import com.sun.jna.Memory;
import dev.vmscope.engine.sys.KvmCpuid2;

/** A kvm_cpuid2 buffer (the CPUID leaves KVM supports), ready for KVM_SET_CPUID2. */
public final class CpuidTable {
    final Memory buffer;

    CpuidTable(Memory buffer) {
        this.buffer = buffer;
    }

    public int entries() {
        return buffer.getInt(0);
    }

    /** Leaf {@code function} (sub-leaf 0) as {EAX, EBX, ECX, EDX}, or null when KVM does not report it. */
    public int[] leaf(int function) {
        for (int i = 0; i < entries(); i++) {
            long e = KvmCpuid2.ENTRIES_OFFSET + (long) i * KvmCpuid2.ENTRY_SIZE;
            if (buffer.getInt(e) == function && buffer.getInt(e + 4) == 0) {
                return new int[]{buffer.getInt(e + 12), buffer.getInt(e + 16), buffer.getInt(e + 20),
                        buffer.getInt(e + 24)};
            }
        }
        return null;
    }

    /**
     * A copy with the initial APIC ID set to {@code apicId} (leaf 1 EBX[31:24], leaves 0xB/0x1F EDX):
     * KVM reports 0 there for every vCPU, and guests tell their CPUs apart by it.
     */
    public CpuidTable withApicId(int apicId) {
        int n = entries();
        long size = KvmCpuid2.ENTRIES_OFFSET + (long) n * KvmCpuid2.ENTRY_SIZE;
        Memory m = new Memory(size);
        m.write(0, buffer.getByteArray(0, (int) size), 0, (int) size);
        for (int i = 0; i < n; i++) {
            long e = KvmCpuid2.ENTRIES_OFFSET + (long) i * KvmCpuid2.ENTRY_SIZE;
            int function = m.getInt(e);
            if (function == 1) {
                int ebx = m.getInt(e + 16);
                m.setInt(e + 16, (ebx & 0x00FFFFFF) | (apicId << 24));
            } else if (function == 0xB || function == 0x1F) {
                m.setInt(e + 24, apicId);
            }
        }
        return new CpuidTable(m);
    }
}
