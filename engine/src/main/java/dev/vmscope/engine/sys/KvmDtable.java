package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_dtable (16 bytes): GDTR or IDTR. */
@FieldOrder({"base", "limit", "padding"})
public class KvmDtable extends Structure {
    public long base;                     // __u64 base
    public short limit;                   // __u16 limit
    public short[] padding = new short[3]; // __u16 padding[3]

    public static class ByValue extends KvmDtable implements Structure.ByValue {
    }
}
