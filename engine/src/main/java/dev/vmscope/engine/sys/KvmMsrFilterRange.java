package dev.vmscope.engine.sys;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_msr_filter_range (24 bytes): a bitmap in which a 0 bit denies (and so exits). */
@FieldOrder({"flags", "nmsrs", "base", "bitmap"})
public class KvmMsrFilterRange extends Structure {
    public int flags;       // __u32 flags (KVM_MSR_FILTER_READ | _WRITE)
    public int nmsrs;       // __u32 nmsrs: MSRs covered by the bitmap
    public int base;        // __u32 base: first MSR index
    public Pointer bitmap;  // __u8 *bitmap

    public static class ByValue extends KvmMsrFilterRange implements Structure.ByValue {
    }
}
