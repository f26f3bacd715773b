package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_sregs (312 bytes): segments, descriptor tables, control registers, EFER, APIC base. */
@FieldOrder({"cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt", "gdt", "idt",
        "cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apic_base", "interrupt_bitmap"})
public class KvmSregs extends Structure {
    public KvmSegment.ByValue cs, ds, es, fs, gs, ss, tr, ldt; // struct kvm_segment
    public KvmDtable.ByValue gdt, idt;                         // struct kvm_dtable
    public long cr0, cr2, cr3, cr4, cr8;                       // __u64
    public long efer;                                          // __u64 efer
    public long apic_base;                                     // __u64 apic_base
    public long[] interrupt_bitmap = new long[4];              // __u64 interrupt_bitmap[4]
}
