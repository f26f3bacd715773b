package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_enable_cap (104 bytes). */
@FieldOrder({"cap", "flags", "args", "pad"})
public class KvmEnableCap extends Structure {
    public int cap;                    // __u32 cap
    public int flags;                  // __u32 flags
    public long[] args = new long[4];  // __u64 args[4]
    public byte[] pad = new byte[64];  // __u8 pad[64]
}
