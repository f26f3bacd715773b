package dev.vmscope.engine.sys;

/**
 * Byte offsets inside the mmap'ed {@code struct kvm_run}. Read by offset on the hot path: no Structure,
 * no reflection, no allocation per exit. Checked against the C layout by KvmRunLayoutTest.
 */
public final class KvmRunLayout {
    private KvmRunLayout() {
    }

    public static final int REQUEST_INTERRUPT_WINDOW = 0;
    public static final int IMMEDIATE_EXIT = 1;
    public static final int EXIT_REASON = 8;
    public static final int READY_FOR_INTERRUPT_INJECTION = 12;
    public static final int IF_FLAG = 13;
    public static final int FLAGS = 14;
    public static final int CR8 = 16;
    public static final int APIC_BASE = 24;
    /** Start of the exit-specific union (256 bytes). */
    public static final int EXIT_UNION = 32;
    public static final int EXIT_UNION_SIZE = 256;
    public static final int KVM_VALID_REGS = 288;
    public static final int KVM_DIRTY_REGS = 296;
    /** kvm_sync_regs: kvm_regs (144), kvm_sregs (312), kvm_vcpu_events (64). */
    public static final int SYNC_REGS = 304;
    public static final int SYNC_SREGS = SYNC_REGS + 144;
    public static final int SYNC_EVENTS = SYNC_SREGS + 312;
    public static final int SYNC_END = SYNC_EVENTS + 64;

    // io: direction u8, size u8, port u16, count u32, data_offset u64
    public static final int IO_DIRECTION = EXIT_UNION;
    public static final int IO_SIZE = EXIT_UNION + 1;
    public static final int IO_PORT = EXIT_UNION + 2;
    public static final int IO_COUNT = EXIT_UNION + 4;
    public static final int IO_DATA_OFFSET = EXIT_UNION + 8;

    // mmio: phys_addr u64, data[8], len u32, is_write u8
    public static final int MMIO_PHYS_ADDR = EXIT_UNION;
    public static final int MMIO_DATA = EXIT_UNION + 8;
    public static final int MMIO_LEN = EXIT_UNION + 16;
    public static final int MMIO_IS_WRITE = EXIT_UNION + 20;

    // msr: error u8, pad[7], reason u32, index u32, data u64
    public static final int MSR_ERROR = EXIT_UNION;
    public static final int MSR_REASON = EXIT_UNION + 8;
    public static final int MSR_INDEX = EXIT_UNION + 12;
    public static final int MSR_DATA = EXIT_UNION + 16;
}
