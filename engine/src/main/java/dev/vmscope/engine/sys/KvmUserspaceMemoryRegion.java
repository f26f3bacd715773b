package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_userspace_memory_region (32 bytes). */
@FieldOrder({"slot", "flags", "guest_phys_addr", "memory_size", "userspace_addr"})
public class KvmUserspaceMemoryRegion extends Structure {
    public int slot;              // __u32 slot
    public int flags;             // __u32 flags
    public long guest_phys_addr;  // __u64 guest_phys_addr
    public long memory_size;      // __u64 memory_size (bytes)
    public long userspace_addr;   // __u64 userspace_addr (start of the host mapping)
}
