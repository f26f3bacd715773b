package dev.vmscope.engine.exit;

/**
 * Where each piece of guest state lives in a snapshot's word array. The first {@link #FAST_WORDS} words are
 * kvm_sync_regs copied as-is (kvm_regs, kvm_sregs, kvm_vcpu_events: 520 bytes = 65 little-endian u64), so
 * capture is a straight copy; the rest is filled only at the {@code full} snapshot level.
 */
public final class StateLayout {
    private StateLayout() {
    }

    // kvm_regs
    public static final int RAX = 0, RBX = 1, RCX = 2, RDX = 3, RSI = 4, RDI = 5, RSP = 6, RBP = 7;
    public static final int R8 = 8, R15 = 15, RIP = 16, RFLAGS = 17;
    public static final int GPR_COUNT = 16;

    // kvm_sregs: 8 segments of 3 words (base; limit | selector<<32 | type<<48 | present<<56;
    // dpl | db<<8 | s<<16 | l<<24 | g<<32 | avl<<40 | unusable<<48), in KVM's order CS DS ES FS GS SS TR LDT
    public static final int SREGS = 18;
    public static final int SEGMENT_WORDS = 3;
    public static final int GDT_BASE = 42, GDT_LIMIT = 43, IDT_BASE = 44, IDT_LIMIT = 45;
    public static final int CR0 = 46, CR2 = 47, CR3 = 48, CR4 = 49, CR8 = 50, EFER = 51, APIC_BASE = 52;
    public static final int INTERRUPT_BITMAP = 53; // 4 words

    // kvm_vcpu_events (64 bytes)
    public static final int EVENTS = 57;
    /** exception.{injected,nr,has_error_code,pending} in bytes 0-3, error_code in 32-63. */
    public static final int EV_EXCEPTION = 57;
    /** interrupt.{injected,nr,soft,shadow} in bytes 0-3, nmi.{injected,pending,masked,pad} in bytes 4-7. */
    public static final int EV_INTERRUPT_NMI = 58;
    /** sipi_vector in 0-31, flags in 32-63. */
    public static final int EV_SIPI_FLAGS = 59;
    /** smi.{smm,pending,smm_inside_nmi,latched_init} bytes 0-3, triple_fault.pending byte 4. */
    public static final int EV_SMI = 60;
    public static final int EV_EXCEPTION_PAYLOAD = 64;

    /** Words filled at the {@code fast} level: kvm_sync_regs. */
    public static final int FAST_WORDS = 65;

    // full level: kvm_debugregs (first 7 words), MSRs, mp_state
    public static final int DR0 = 65, DR6 = 69, DR7 = 70, DEBUGREGS_FLAGS = 71;
    public static final int MSRS = 72;
    public static final int MP_STATE = MSRS + Msr.values().length;
    /** 1 when the full-level words were captured at this exit. */
    public static final int FULL_FLAG = MP_STATE + 1;
    public static final int WORDS = FULL_FLAG + 1;

    public static int segmentWord(Segment s) {
        return SREGS + s.ordinal() * SEGMENT_WORDS;
    }

    public static int msrWord(Msr m) {
        return MSRS + m.ordinal();
    }

    /** The segment registers, in kvm_sregs order. */
    public enum Segment { CS, DS, ES, FS, GS, SS, TR, LDTR }

    /** The MSRs captured at the {@code full} level (EFER comes from sregs). */
    public enum Msr {
        PAT(0x277), DEBUGCTL(0x1D9), SYSENTER_CS(0x174), SYSENTER_ESP(0x175), SYSENTER_EIP(0x176),
        STAR(0xC0000081), LSTAR(0xC0000082), CSTAR(0xC0000083), SFMASK(0xC0000084),
        KERNEL_GS_BASE(0xC0000102), TSC(0x10);

        public final int index;

        Msr(int index) {
            this.index = index;
        }
    }
}
