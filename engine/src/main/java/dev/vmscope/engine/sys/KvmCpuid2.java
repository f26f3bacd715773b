package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_cpuid2 header (8 bytes); kvm_cpuid_entry2 entries follow at {@link #ENTRIES_OFFSET}. */
@FieldOrder({"nent", "padding"})
public class KvmCpuid2 extends Structure {
    public static final int ENTRIES_OFFSET = 8;
    public static final int ENTRY_SIZE = 40;

    public int nent;     // __u32 nent
    public int padding;  // __u32 padding
}
