package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_msr_entry (16 bytes). */
@FieldOrder({"index", "reserved", "data"})
public class KvmMsrEntry extends Structure {
    public int index;     // __u32 index
    public int reserved;  // __u32 reserved
    public long data;     // __u64 data

    public static class ByValue extends KvmMsrEntry implements Structure.ByValue {
    }
}
