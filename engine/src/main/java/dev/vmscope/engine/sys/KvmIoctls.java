package dev.vmscope.engine.sys;

/** ioctl request numbers and constants from linux/kvm.h and asm/kvm.h (x86-64). */
public final class KvmIoctls {
    private KvmIoctls() {
    }

    public static final int KVM_API_VERSION = 12;

    public static final long KVM_GET_API_VERSION = 0xAE00L;
    public static final long KVM_CREATE_VM = 0xAE01L;
    public static final long KVM_CHECK_EXTENSION = 0xAE03L;
    public static final long KVM_GET_VCPU_MMAP_SIZE = 0xAE04L;
    public static final long KVM_GET_SUPPORTED_CPUID = 0xC008AE05L;
    public static final long KVM_CREATE_VCPU = 0xAE41L;
    public static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46L;
    public static final long KVM_SET_TSS_ADDR = 0xAE47L;
    public static final long KVM_SET_IDENTITY_MAP_ADDR = 0x4008AE48L;
    public static final long KVM_CREATE_IRQCHIP = 0xAE60L;
    public static final long KVM_IRQ_LINE = 0x4008AE61L;
    public static final long KVM_CREATE_PIT2 = 0x4040AE77L;
    public static final long KVM_RUN = 0xAE80L;
    public static final long KVM_GET_REGS = 0x8090AE81L;
    public static final long KVM_SET_REGS = 0x4090AE82L;
    public static final long KVM_GET_SREGS = 0x8138AE83L;
    public static final long KVM_SET_SREGS = 0x4138AE84L;
    public static final long KVM_GET_MSRS = 0xC008AE88L;
    public static final long KVM_SET_MSRS = 0x4008AE89L;
    public static final long KVM_SET_CPUID2 = 0x4008AE90L;
    public static final long KVM_GET_MP_STATE = 0x8004AE98L;
    public static final long KVM_SET_MP_STATE = 0x4004AE99L;
    public static final long KVM_SET_GUEST_DEBUG = 0x4048AE9BL;
    /** _IOW(KVMIO, 0x9c, __u64) on a vCPU fd: the guest's MCG_CAP (bank count in bits 7:0). */
    public static final long KVM_X86_SETUP_MCE = 0x4008AE9CL;
    /** _IOR(KVMIO, 0x9d, __u64) on /dev/kvm: the MCG_CAP bits KVM can emulate. */
    public static final long KVM_X86_GET_MCE_CAP_SUPPORTED = 0x8008AE9DL;
    public static final long KVM_GET_VCPU_EVENTS = 0x8040AE9FL;
    public static final long KVM_SET_VCPU_EVENTS = 0x4040AEA0L;
    public static final long KVM_GET_DEBUGREGS = 0x8080AEA1L;
    public static final long KVM_SET_DEBUGREGS = 0x4080AEA2L;
    public static final long KVM_ENABLE_CAP = 0x4068AEA3L;
    public static final long KVM_X86_SET_MSR_FILTER = 0x4188AEC6L;

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
