package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct kvm_vcpu_events (64 bytes), with its nested anonymous structs flattened. */
@FieldOrder({"exception_injected", "exception_nr", "exception_has_error_code", "exception_pending",
        "exception_error_code", "interrupt_injected", "interrupt_nr", "interrupt_soft", "interrupt_shadow",
        "nmi_injected", "nmi_pending", "nmi_masked", "nmi_pad", "sipi_vector", "flags",
        "smi_smm", "smi_pending", "smi_smm_inside_nmi", "smi_latched_init", "triple_fault_pending",
        "reserved", "exception_has_payload", "exception_payload"})
public class KvmVcpuEvents extends Structure {
    public byte exception_injected;        // exception.injected
    public byte exception_nr;              // exception.nr
    public byte exception_has_error_code;  // exception.has_error_code
    public byte exception_pending;         // exception.pending
    public int exception_error_code;       // exception.error_code
    public byte interrupt_injected;        // interrupt.injected
    public byte interrupt_nr;              // interrupt.nr
    public byte interrupt_soft;            // interrupt.soft
    public byte interrupt_shadow;          // interrupt.shadow (KVM_X86_SHADOW_INT_MOV_SS 1, _STI 2)
    public byte nmi_injected;              // nmi.injected
    public byte nmi_pending;               // nmi.pending
    public byte nmi_masked;                // nmi.masked
    public byte nmi_pad;                   // nmi.pad
    public int sipi_vector;                // __u32 sipi_vector
    public int flags;                      // __u32 flags
    public byte smi_smm;                   // smi.smm
    public byte smi_pending;               // smi.pending
    public byte smi_smm_inside_nmi;        // smi.smm_inside_nmi
    public byte smi_latched_init;          // smi.latched_init
    public byte triple_fault_pending;      // triple_fault.pending
    public byte[] reserved = new byte[26]; // __u8 reserved[26]
    public byte exception_has_payload;     // __u8 exception_has_payload
    public long exception_payload;         // __u64 exception_payload
}
