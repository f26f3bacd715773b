package dev.vmscope.engine.sys;

/**
 * The one description of the mmap'ed {@code struct kvm_run}: byte offsets for reading it in place, and the
 * exit union as little-endian u64 words (what a captured exit keeps, see {@link #unionWord}) with accessors
 * for the fields packed into them. Read by offset on the hot path: no Structure, no reflection, no allocation
 * per exit. Checked against the C layout by KvmRunLayoutTest.
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

    // ---- the exit union as u64 words ----

    /** Byte offset of word {@code i} of the exit union. */
    public static int unionWord(int i) {
        return EXIT_UNION + 8 * i;
    }

    // io, word 0: direction (bits 0-7), size (8-15), port (16-31), count (32-63)
    public static boolean ioOut(long w0) {
        return (w0 & 0xFF) == 1;
    }

    public static int ioSize(long w0) {
        return (int) ((w0 >>> 8) & 0xFF);
    }

    public static int ioPort(long w0) {
        return (int) ((w0 >>> 16) & 0xFFFF);
    }

    public static long ioCount(long w0) {
        return w0 >>> 32;
    }

    /** Word 0 of an I/O exit from its fields (the inverse of the accessors above). */
    public static long ioWord(boolean out, int size, int port, long count) {
        return (out ? 1 : 0) | (long) (size & 0xFF) << 8 | (long) (port & 0xFFFF) << 16 | count << 32;
    }

    // mmio: word 0 phys_addr, word 1 data, word 2 len (bits 0-31) and is_write (32-39)
    public static final int MMIO_WORD_ADDRESS = 0;
    public static final int MMIO_WORD_DATA = 1;
    public static final int MMIO_WORD_LENGTH = 2;

    public static int mmioLength(long w2) {
        return (int) w2;
    }

    public static boolean mmioWrite(long w2) {
        return ((w2 >>> 32) & 0xFF) != 0;
    }

    // msr: word 0 error (bits 0-7), word 1 reason (0-31) and index (32-63), word 2 data
    public static final int MSR_WORD_ERROR = 0;
    public static final int MSR_WORD_REASON_INDEX = 1;
    public static final int MSR_WORD_DATA = 2;

    public static int msrError(long w0) {
        return (int) (w0 & 0xFF);
    }

    public static int msrReason(long w1) {
        return (int) w1;
    }

    public static int msrIndex(long w1) {
        return (int) (w1 >>> 32);
    }

    // debug (kvm_debug_exit_arch): word 0 exception (bits 0-31), word 1 pc, word 2 dr6, word 3 dr7
    public static final int DEBUG_WORD_EXCEPTION = 0;
    public static final int DEBUG_WORD_PC = 1;
    public static final int DEBUG_WORD_DR6 = 2;
    public static final int DEBUG_WORD_DR7 = 3;
    /** DR6.BS: the #DB came from single-stepping (TF or KVM's guest-debug single step). */
    public static final long DR6_SINGLE_STEP = 1L << 14;

    // exits whose word 0 holds a u32 and the next u32 (exception: exception and error_code; internal error and
    // system event: suberror/type and ndata)
    public static int low(long w) {
        return (int) w;
    }

    public static int high(long w) {
        return (int) (w >>> 32);
    }
}
