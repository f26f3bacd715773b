package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_regs (144 bytes): general-purpose registers, RIP and RFLAGS. */
@FieldOrder({"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"})
public class KvmRegs extends Structure {
    public long rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp;   // __u64 rax..rbp
    public long r8, r9, r10, r11, r12, r13, r14, r15;     // __u64 r8..r15
    public long rip;                                      // __u64 rip
    public long rflags;                                   // __u64 rflags
}
