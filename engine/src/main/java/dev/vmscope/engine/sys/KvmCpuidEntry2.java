package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_cpuid_entry2 (40 bytes). */
@FieldOrder({"function", "index", "flags", "eax", "ebx", "ecx", "edx", "padding"})
public class KvmCpuidEntry2 extends Structure {
    public int function;                 // __u32 function (leaf)
    public int index;                    // __u32 index (subleaf)
    public int flags;                    // __u32 flags
    public int eax, ebx, ecx, edx;       // __u32 eax..edx
    public int[] padding = new int[3];   // __u32 padding[3]
}
