package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/**
 * struct kvm_msrs header (8 bytes); the kvm_msr_entry array follows it in the same buffer
 * (a flexible array member, so callers lay it out by offset: see {@link #ENTRIES_OFFSET}).
 */
@FieldOrder({"nmsrs", "pad"})
public class KvmMsrs extends Structure {
    public static final int ENTRIES_OFFSET = 8;
    public static final int ENTRY_SIZE = 16;

    public int nmsrs;  // __u32 nmsrs
    public int pad;    // __u32 pad
}
