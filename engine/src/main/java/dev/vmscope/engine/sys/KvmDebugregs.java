package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_debugregs (128 bytes): DR0-DR3, DR6, DR7. */
@FieldOrder({"db", "dr6", "dr7", "flags", "reserved"})
public class KvmDebugregs extends Structure {
    public long[] db = new long[4];       // __u64 db[4]
    public long dr6;                      // __u64 dr6
    public long dr7;                      // __u64 dr7
    public long flags;                    // __u64 flags
    public long[] reserved = new long[9]; // __u64 reserved[9]
}
