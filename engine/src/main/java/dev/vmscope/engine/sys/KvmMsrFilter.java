package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_msr_filter (392 bytes). */
@FieldOrder({"flags", "ranges"})
public class KvmMsrFilter extends Structure {
    public int flags;                                                          // __u32 flags
    public KvmMsrFilterRange.ByValue[] ranges = new KvmMsrFilterRange.ByValue[16]; // ranges[16]

    public KvmMsrFilter() {
        for (int i = 0; i < ranges.length; i++) {
            ranges[i] = new KvmMsrFilterRange.ByValue();
        }
    }
}
