package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_guest_debug (72 bytes) with the x86 arch part (debugreg[8]). */
@FieldOrder({"control", "pad", "debugreg"})
public class KvmGuestDebug extends Structure {
    public int control;                   // __u32 control (KVM_GUESTDBG_*)
    public int pad;                       // __u32 pad
    public long[] debugreg = new long[8]; // arch.debugreg[8]: DR0-3 addresses, [7] = DR7
}
