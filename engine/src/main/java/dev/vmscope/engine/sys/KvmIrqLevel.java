package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_irq_level (8 bytes). */
@FieldOrder({"irq", "level"})
public class KvmIrqLevel extends Structure {
    public int irq;    // union { __u32 irq; __s32 status; }
    public int level;  // __u32 level
}
