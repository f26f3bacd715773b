package dev.vmscope.engine.sys;

import com.sun.jna.Structure;

/** ioctl request numbers and constants from linux/kvm.h and asm/kvm.h (x86-64). */
public final class KvmIoctls {
    private KvmIoctls() {
    }

    public static final int KVM_API_VERSION = 12;

    // ioctl numbers as linux/ioctl.h's _IOC builds them: direction (2 bits) | argument size (14) | type | number.
    // Sizes come from the Structure passed, so a Structure that does not match the kernel's size changes the
    // number and the test against the documented numbers fails (KvmIoctlsTest).
    private static final int KVMIO = 0xAE;
    private static final int IOC_NONE = 0;
    private static final int IOC_WRITE = 1;
    private static final int IOC_READ = 2;

    /** struct kvm_pit_config: flags and 15 u32 of padding. */
    public static final int PIT_CONFIG_SIZE = 64;
    /** struct kvm_mp_state: one u32. */
    public static final int MP_STATE_SIZE = Integer.BYTES;
    /** KVM_SET_IDENTITY_MAP_ADDR's argument: a u64. */
    public static final int IDENTITY_MAP_ADDR_SIZE = Long.BYTES;

    public static final long KVM_GET_API_VERSION = io(0x00);
    public static final long KVM_CREATE_VM = io(0x01);
    public static final long KVM_CHECK_EXTENSION = io(0x03);
    public static final long KVM_GET_VCPU_MMAP_SIZE = io(0x04);
    public static final long KVM_GET_SUPPORTED_CPUID = iowr(0x05, size(new KvmCpuid2()));
    public static final long KVM_CREATE_VCPU = io(0x41);
    public static final long KVM_SET_USER_MEMORY_REGION = iow(0x46, size(new KvmUserspaceMemoryRegion()));
    public static final long KVM_SET_TSS_ADDR = io(0x47);
    public static final long KVM_SET_IDENTITY_MAP_ADDR = iow(0x48, IDENTITY_MAP_ADDR_SIZE);
    public static final long KVM_CREATE_IRQCHIP = io(0x60);
    public static final long KVM_IRQ_LINE = iow(0x61, size(new KvmIrqLevel()));
    public static final long KVM_CREATE_PIT2 = iow(0x77, PIT_CONFIG_SIZE);
    public static final long KVM_RUN = io(0x80);
    public static final long KVM_GET_REGS = ior(0x81, size(new KvmRegs()));
    public static final long KVM_SET_REGS = iow(0x82, size(new KvmRegs()));
    public static final long KVM_GET_SREGS = ior(0x83, size(new KvmSregs()));
    public static final long KVM_SET_SREGS = iow(0x84, size(new KvmSregs()));
    public static final long KVM_GET_MSRS = iowr(0x88, size(new KvmMsrs()));
    public static final long KVM_SET_MSRS = iow(0x89, size(new KvmMsrs()));
    public static final long KVM_SET_CPUID2 = iow(0x90, size(new KvmCpuid2()));
    public static final long KVM_GET_MP_STATE = ior(0x98, MP_STATE_SIZE);
    public static final long KVM_SET_MP_STATE = iow(0x99, MP_STATE_SIZE);
    public static final long KVM_SET_GUEST_DEBUG = iow(0x9B, size(new KvmGuestDebug()));
    /** On a vCPU fd: the guest's MCG_CAP (bank count in bits 7:0). */
    public static final long KVM_X86_SETUP_MCE = iow(0x9C, Long.BYTES);
    /** On /dev/kvm: the MCG_CAP bits KVM can emulate. */
    public static final long KVM_X86_GET_MCE_CAP_SUPPORTED = ior(0x9D, Long.BYTES);
    public static final long KVM_GET_VCPU_EVENTS = ior(0x9F, size(new KvmVcpuEvents()));
    public static final long KVM_SET_VCPU_EVENTS = iow(0xA0, size(new KvmVcpuEvents()));
    public static final long KVM_GET_DEBUGREGS = ior(0xA1, size(new KvmDebugregs()));
    public static final long KVM_SET_DEBUGREGS = iow(0xA2, size(new KvmDebugregs()));
    public static final long KVM_ENABLE_CAP = iow(0xA3, size(new KvmEnableCap()));
    public static final long KVM_X86_SET_MSR_FILTER = iow(0xC6, size(new KvmMsrFilter()));

    static long io(int nr) {
        return ioc(IOC_NONE, nr, 0);
    }

    static long ior(int nr, int size) {
        return ioc(IOC_READ, nr, size);
    }

    static long iow(int nr, int size) {
        return ioc(IOC_WRITE, nr, size);
    }

    static long iowr(int nr, int size) {
        return ioc(IOC_READ | IOC_WRITE, nr, size);
    }

    private static long ioc(int dir, int nr, int size) {
        if (size < 0 || size >= 1 << 14) {
            throw new IllegalArgumentException("an ioctl argument has 14 bits of size, not " + size);
        }
        return (long) dir << 30 | (long) size << 16 | KVMIO << 8 | nr;
    }

    private static int size(Structure s) {
        return s.size();
    }

    // capabilities (KVM_CHECK_EXTENSION)
    public static final int KVM_CAP_IRQCHIP = 0;
    public static final int KVM_CAP_NR_VCPUS = 9;
    public static final int KVM_CAP_SET_GUEST_DEBUG = 23;
    /** Checked, it answers the most machine-check banks a vCPU may have (32 here). */
    public static final int KVM_CAP_MCE = 31;
    public static final int KVM_CAP_MAX_VCPUS = 66;
    public static final int KVM_CAP_SYNC_REGS = 74;
    public static final int KVM_CAP_IMMEDIATE_EXIT = 136;
    public static final int KVM_CAP_X86_USER_SPACE_MSR = 188;
    public static final int KVM_CAP_X86_MSR_FILTER = 189;

    // kvm_run.kvm_valid_regs / kvm_dirty_regs
    public static final long KVM_SYNC_X86_REGS = 1;
    public static final long KVM_SYNC_X86_SREGS = 2;
    public static final long KVM_SYNC_X86_EVENTS = 4;

    // KVM_X86_USER_SPACE_MSR reasons
    public static final long KVM_MSR_EXIT_REASON_INVAL = 1;
    public static final long KVM_MSR_EXIT_REASON_UNKNOWN = 2;
    public static final long KVM_MSR_EXIT_REASON_FILTER = 4;

    // kvm_msr_filter flags
    public static final int KVM_MSR_FILTER_DEFAULT_DENY = 1;
    public static final int KVM_MSR_FILTER_READ = 1;
    public static final int KVM_MSR_FILTER_WRITE = 2;

    // kvm_guest_debug.control
    public static final int KVM_GUESTDBG_ENABLE = 0x1;
    public static final int KVM_GUESTDBG_SINGLESTEP = 0x2;
    public static final int KVM_GUESTDBG_USE_SW_BP = 0x10000;
    public static final int KVM_GUESTDBG_USE_HW_BP = 0x20000;

    // mp_state
    public static final int KVM_MP_STATE_RUNNABLE = 0;
    public static final int KVM_MP_STATE_UNINITIALIZED = 1;
    public static final int KVM_MP_STATE_INIT_RECEIVED = 2;
    public static final int KVM_MP_STATE_HALTED = 3;
    public static final int KVM_MP_STATE_SIPI_RECEIVED = 4;
}
