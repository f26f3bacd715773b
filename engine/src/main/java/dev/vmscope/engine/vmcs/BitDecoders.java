package dev.vmscope.engine.vmcs;

import java.util.Map;
import java.util.Optional;

/**
 * The bit layouts vmscope knows: control registers, flags, debug registers, segment attributes, and the
 * VMX/SVM exit-information formats. Each is a reusable {@link BitDecoder}; {@link #forField} and
 * {@link #qualification} pick the right one for a VMCS field.
 */
public final class BitDecoders {
    private BitDecoders() {
    }

    public static final BitLayout CR0 = BitLayout.named("CR0")
            .flag(0, "PE", "protection enable (protected mode)")
            .flag(1, "MP", "monitor coprocessor (WAIT honours TS)")
            .flag(2, "EM", "x87 emulation: FPU instructions raise #NM")
            .flag(3, "TS", "task switched: next FPU/SSE use raises #NM")
            .flag(4, "ET", "extension type (always 1)")
            .flag(5, "NE", "native x87 error reporting (#MF)")
            .flag(16, "WP", "write protect: supervisor writes obey read-only pages")
            .flag(18, "AM", "alignment mask: allows #AC with RFLAGS.AC")
            .flag(29, "NW", "not write-through")
            .flag(30, "CD", "cache disable")
            .flag(31, "PG", "paging enable")
            .build();

    public static final BitLayout CR4 = BitLayout.named("CR4")
            .flag(0, "VME", "virtual-8086 mode extensions")
            .flag(1, "PVI", "protected-mode virtual interrupts")
            .flag(2, "TSD", "RDTSC only at CPL 0")
            .flag(3, "DE", "debugging extensions (I/O breakpoints)")
            .flag(4, "PSE", "4-MiB pages with 32-bit paging")
            .flag(5, "PAE", "physical address extension (64-bit page-table entries)")
            .flag(6, "MCE", "machine-check exception enable")
            .flag(7, "PGE", "global pages")
            .flag(8, "PCE", "RDPMC at any CPL")
            .flag(9, "OSFXSR", "OS supports FXSAVE/FXRSTOR (SSE enabled)")
            .flag(10, "OSXMMEXCPT", "OS handles unmasked SIMD exceptions (#XM)")
            .flag(11, "UMIP", "user-mode instruction prevention")
            .flag(12, "LA57", "5-level paging")
            .flag(13, "VMXE", "VMX enable")
            .flag(14, "SMXE", "SMX enable")
            .flag(16, "FSGSBASE", "RDFSBASE/WRFSBASE and friends enabled")
            .flag(17, "PCIDE", "process-context identifiers")
            .flag(18, "OSXSAVE", "XSAVE and extended states enabled")
            .flag(19, "KL", "Key Locker enable")
            .flag(20, "SMEP", "supervisor-mode execution prevention")
            .flag(21, "SMAP", "supervisor-mode access prevention")
            .flag(22, "PKE", "protection keys for user pages")
            .flag(23, "CET", "control-flow enforcement")
            .flag(24, "PKS", "protection keys for supervisor pages")
            .flag(25, "UINTR", "user interrupts")
            .flag(27, "LASS", "linear-address space separation")
            .flag(28, "LAM_SUP", "linear-address masking for supervisor pointers")
            .flag(32, "FRED", "flexible return and event delivery")
            .build();

    public static final BitLayout RFLAGS = BitLayout.named("RFLAGS")
            .flag(0, "CF", "carry")
            .flag(2, "PF", "parity")
            .flag(4, "AF", "auxiliary carry")
            .flag(6, "ZF", "zero")
            .flag(7, "SF", "sign")
            .flag(8, "TF", "trap: single-step")
            .flag(9, "IF", "interrupts enabled")
            .flag(10, "DF", "direction: string operations count down")
            .flag(11, "OF", "overflow")
            .field(13, 12, "IOPL", "I/O privilege level").quietWhenZero()
            .flag(14, "NT", "nested task")
            .flag(16, "RF", "resume: suppress instruction breakpoints once")
            .flag(17, "VM", "virtual-8086 mode")
            .flag(18, "AC", "alignment check / SMAP override")
            .flag(19, "VIF", "virtual interrupt flag")
            .flag(20, "VIP", "virtual interrupt pending")
            .flag(21, "ID", "CPUID available")
            .build();

    public static final BitLayout EFER = BitLayout.named("EFER")
            .flag(0, "SCE", "SYSCALL/SYSRET enable")
            .flag(8, "LME", "long mode enable")
            .flag(10, "LMA", "long mode active")
            .flag(11, "NXE", "no-execute page protection")
            .flag(12, "SVME", "SVM enable (AMD)")
            .flag(13, "LMSLE", "long-mode segment limit enable (AMD)")
            .flag(14, "FFXSR", "fast FXSAVE/FXRSTOR (AMD)")
            .flag(15, "TCE", "translation cache extension (AMD)")
            .build();

    private static final Map<Long, String> DR_RW = Map.of(0L, "execute", 1L, "write", 2L, "I/O", 3L, "read/write");
    private static final Map<Long, String> DR_LEN = Map.of(0L, "1 byte", 1L, "2 bytes", 2L, "8 bytes", 3L, "4 bytes");

    public static final BitLayout DR7 = dr7();

    private static BitLayout dr7() {
        BitLayout.Builder b = BitLayout.named("DR7");
        for (int i = 0; i < 4; i++) {
            b.flag(2 * i, "L" + i, "breakpoint " + i + " enabled for this task");
            b.flag(2 * i + 1, "G" + i, "breakpoint " + i + " enabled for all tasks");
        }
        b.flag(8, "LE", "exact local breakpoints").flag(9, "GE", "exact global breakpoints")
                .flag(11, "RTM", "advanced debugging of RTM regions").flag(13, "GD", "MOV DR raises #DB (debug-register protection)");
        for (int i = 0; i < 4; i++) {
            b.field(17 + 4 * i, 16 + 4 * i, "RW" + i, "breakpoint " + i + " condition", DR_RW).quietWhenZero();
            b.field(19 + 4 * i, 18 + 4 * i, "LEN" + i, "breakpoint " + i + " length", DR_LEN).quietWhenZero();
        }
        return b.build();
    }

    public static final BitLayout DR6 = BitLayout.named("DR6")
            .flag(0, "B0", "breakpoint 0 condition met")
            .flag(1, "B1", "breakpoint 1 condition met")
            .flag(2, "B2", "breakpoint 2 condition met")
            .flag(3, "B3", "breakpoint 3 condition met")
            .flag(11, "BLD_N", "0 = bus lock detected (active low)")
            .flag(13, "BD", "debug-register access detected (DR7.GD)")
            .flag(14, "BS", "single step (RFLAGS.TF)")
            .flag(15, "BT", "task switch with T flag")
            .flag(16, "RTM_N", "0 = #DB inside an RTM region (active low)")
            .build();

    public static final BitLayout DEBUGCTL = BitLayout.named("IA32_DEBUGCTL")
            .flag(0, "LBR", "record last branches")
            .flag(1, "BTF", "single-step on branches")
            .flag(2, "BLD", "bus-lock detection (#DB after a bus lock)")
            .flag(6, "TR", "send branch trace messages")
            .flag(7, "BTS", "store branch trace in memory")
            .flag(8, "BTINT", "interrupt when the BTS buffer fills")
            .flag(9, "BTS_OFF_OS", "no BTS at CPL 0")
            .flag(10, "BTS_OFF_USR", "no BTS above CPL 0")
            .flag(11, "FREEZE_LBRS_ON_PMI", "freeze LBRs on a performance-monitoring interrupt")
            .flag(12, "FREEZE_PERFMON_ON_PMI", "freeze counters on a performance-monitoring interrupt")
            .flag(14, "FREEZE_WHILE_SMM", "freeze tracing and counters in SMM")
            .flag(15, "RTM_DEBUG", "advanced debugging of RTM regions")
            .build();

    private static final Map<Long, String> MEMORY_TYPES = Map.of(0L, "UC", 1L, "WC", 4L, "WT", 5L, "WP", 6L, "WB", 7L, "UC-");

    public static final BitLayout PAT = pat();

    private static BitLayout pat() {
        BitLayout.Builder b = BitLayout.named("IA32_PAT");
        for (int i = 0; i < 8; i++) {
            b.field(8 * i + 2, 8 * i, "PA" + i, "memory type of PAT entry " + i, MEMORY_TYPES);
        }
        return b.build();
    }

    /** Segment type (bits 3:0), read with the S bit (bit 4) of the same value. */
    static String segmentType(long type, long whole) {
        boolean s = (whole & (1 << 4)) != 0;
        if (s) {
            boolean code = (type & 8) != 0;
            StringBuilder t = new StringBuilder(code ? "code" : "data");
            if (code) {
                t.append((type & 4) != 0 ? " conforming" : "").append((type & 2) != 0 ? " readable" : " exec-only");
            } else {
                t.append((type & 4) != 0 ? " expand-down" : "").append((type & 2) != 0 ? " writable" : " read-only");
            }
            if ((type & 1) != 0) {
                t.append(" accessed");
            }
            return String.format("0x%X %s", type, t);
        }
        String[] sys = {"reserved", "16-bit TSS available", "LDT", "16-bit TSS busy", "16-bit call gate", "task gate",
                "16-bit interrupt gate", "16-bit trap gate", "reserved", "32/64-bit TSS available", "reserved",
                "32/64-bit TSS busy", "32/64-bit call gate", "reserved", "32/64-bit interrupt gate", "32/64-bit trap gate"};
        return String.format("0x%X %s", type, sys[(int) type & 15]);
    }

    public static final BitLayout VMX_ACCESS_RIGHTS = BitLayout.named("VMX segment access rights")
            .field(3, 0, "TYPE", "segment or system-descriptor type", BitDecoders::segmentType)
            .flag(4, "S", "code/data segment (clear: system segment)")
            .field(6, 5, "DPL", "descriptor privilege level")
            .flag(7, "P", "present")
            .flag(12, "AVL", "available to software")
            .flag(13, "L", "64-bit code segment").leads()
            .flag(14, "DB", "default operation size 32-bit / big stack")
            .flag(15, "G", "granularity: limit counts 4-KiB units")
            .flag(16, "UNUSABLE", "segment unusable: the CPU ignores the other bits")
            .summaryWhen("UNUSABLE", true, "UNUSABLE")
            .build();

    public static final BitLayout SVM_ATTRIBUTES = BitLayout.named("SVM segment attributes")
            .field(3, 0, "TYPE", "segment or system-descriptor type", BitDecoders::segmentType)
            .flag(4, "S", "code/data segment (clear: system segment)")
            .field(6, 5, "DPL", "descriptor privilege level")
            .flag(7, "P", "present")
            .flag(8, "AVL", "available to software")
            .flag(9, "L", "64-bit code segment").leads()
            .flag(10, "DB", "default operation size 32-bit / big stack")
            .flag(11, "G", "granularity: limit counts 4-KiB units")
            .build();

    public static final BitLayout INTERRUPTIBILITY = BitLayout.named("Guest interruptibility state")
            .flag(0, "STI", "blocking by STI: interrupts held off until after the next instruction")
            .flag(1, "MOV_SS", "blocking by MOV SS/POP SS: interrupts and #DB held off for one instruction")
            .flag(2, "SMI", "blocking by SMI (the guest is in SMM)")
            .flag(3, "NMI", "blocking by NMI: an NMI handler is running (no IRET yet)")
            .flag(4, "ENCLAVE", "the exit interrupted an enclave")
            .build();

    public static final BitLayout ACTIVITY_STATE = BitLayout.named("Guest activity state")
            .field(31, 0, "STATE", "what the logical processor is doing",
                    Map.of(0L, "active", 1L, "HLT", 2L, "shutdown", 3L, "wait-for-SIPI"))
            .build();

    private static final Map<Long, String> EVENT_TYPES = Map.of(0L, "external interrupt", 1L, "reserved", 2L, "NMI",
            3L, "hardware exception", 4L, "software interrupt", 5L, "privileged software exception",
            6L, "software exception", 7L, "other event");

    public static final BitLayout INTERRUPTION_INFO = BitLayout.named("Interruption information")
            .field(7, 0, "VECTOR", "interrupt or exception vector", (v, w) -> {
                long type = (w >>> 8) & 7;
                String m = type == 3 || type == 5 || type == 6 || type == 2 ? Vectors.mnemonic((int) v) : null;
                return m == null ? Long.toString(v) : v + " " + m;
            })
            .field(10, 8, "TYPE", "kind of event", EVENT_TYPES)
            .flag(11, "ERROR_CODE", "an error code was delivered (see the error-code field)")
            .flag(12, "NMI_UNBLOCKING", "NMI unblocking due to IRET")
            .flag(31, "VALID", "the field describes an event")
            .summaryWhen("VALID", false, "not valid")
            .build();

    public static final BitLayout EXIT_REASON = BitLayout.named("Exit reason")
            .field(15, 0, "BASIC", "basic exit reason", (v, w) -> v + " " + VmxExitReasons.name((int) v))
            .flag(26, "BUS_LOCK", "a bus lock was asserted while the instruction ran")
            .flag(27, "ENCLAVE", "the exit came from an enclave")
            .flag(28, "PENDING_MTF", "a monitor-trap-flag exit is pending")
            .flag(29, "FROM_ROOT", "exit from VMX root operation (SMM monitor)")
            .flag(31, "ENTRY_FAILURE", "VM entry failed; the guest never ran")
            .build();

    public static final BitLayout IO_QUALIFICATION = BitLayout.named("Exit qualification: I/O instruction")
            .field(2, 0, "SIZE", "access size minus one", Map.of(0L, "1 byte", 1L, "2 bytes", 3L, "4 bytes"))
            .field(3, 3, "DIR", "direction", Map.of(0L, "OUT", 1L, "IN"))
            .flag(4, "STRING", "string instruction (INS/OUTS)")
            .flag(5, "REP", "REP prefix")
            .field(6, 6, "OPERAND", "port operand", Map.of(0L, "DX", 1L, "immediate"))
            .field(31, 16, "PORT", "port number", (v, w) -> String.format("0x%X", v)).leads()
            .build();

    private static final Map<Long, String> GPRS = gprNames();

    private static Map<Long, String> gprNames() {
        String[] n = {"RAX", "RCX", "RDX", "RBX", "RSP", "RBP", "RSI", "RDI", "R8", "R9", "R10", "R11", "R12", "R13",
                "R14", "R15"};
        java.util.HashMap<Long, String> m = new java.util.HashMap<>();
        for (int i = 0; i < n.length; i++) {
            m.put((long) i, n[i]);
        }
        return Map.copyOf(m);
    }

    public static final BitLayout CR_ACCESS_QUALIFICATION = BitLayout.named("Exit qualification: control-register access")
            .field(3, 0, "CR", "control register number")
            .field(5, 4, "TYPE", "access type", Map.of(0L, "MOV to CR", 1L, "MOV from CR", 2L, "CLTS", 3L, "LMSW"))
            .field(6, 6, "LMSW_OPERAND", "LMSW operand", Map.of(0L, "register", 1L, "memory"))
            .field(11, 8, "GPR", "general-purpose register of MOV CR", GPRS)
            .field(31, 16, "LMSW_DATA", "LMSW source data", (v, w) -> String.format("0x%X", v))
            .build();

    public static final BitLayout EPT_VIOLATION_QUALIFICATION = BitLayout.named("Exit qualification: EPT violation")
            .flag(0, "READ", "the access was a data read")
            .flag(1, "WRITE", "the access was a data write")
            .flag(2, "FETCH", "the access was an instruction fetch")
            .flag(3, "EPT_READABLE", "the guest-physical page was readable")
            .flag(4, "EPT_WRITABLE", "the guest-physical page was writable")
            .flag(5, "EPT_EXECUTABLE", "the guest-physical page was executable")
            .flag(6, "EPT_USER_EXECUTABLE", "executable for user mode (mode-based execute control)")
            .flag(7, "LINEAR_VALID", "the guest linear-address field is valid")
            .flag(8, "TRANSLATED", "the access was to the translation of a linear address (not a page walk)")
            .flag(9, "USER_LINEAR", "user-mode linear address (advanced information)")
            .flag(10, "RW_PAGE", "the paging entries allowed writes (advanced information)")
            .flag(11, "XD_PAGE", "the paging entries forbade execution (advanced information)")
            .flag(12, "NMI_UNBLOCKING", "NMI unblocking due to IRET")
            .flag(13, "SHADOW_STACK", "shadow-stack access")
            .build();

    public static final BitLayout DEBUG_QUALIFICATION = BitLayout.named("Exit qualification: debug exception")
            .flag(0, "B0", "breakpoint 0 condition met")
            .flag(1, "B1", "breakpoint 1 condition met")
            .flag(2, "B2", "breakpoint 2 condition met")
            .flag(3, "B3", "breakpoint 3 condition met")
            .flag(11, "BLD", "bus lock detected")
            .flag(13, "BD", "debug-register access detected")
            .flag(14, "BS", "single step")
            .flag(16, "RTM", "inside an RTM region")
            .build();

    public static final BitLayout APIC_ACCESS_QUALIFICATION = BitLayout.named("Exit qualification: APIC access")
            .field(11, 0, "OFFSET", "offset in the APIC page", (v, w) -> String.format("0x%X", v))
            .field(15, 12, "TYPE", "access type", Map.of(0L, "linear read", 1L, "linear write", 2L, "linear fetch",
                    3L, "linear, during event delivery", 10L, "physical, during event delivery", 15L, "physical fetch"))
            .flag(16, "ASYNC", "asynchronous to instruction execution")
            .build();

    public static final BitLayout EOI_QUALIFICATION = BitLayout.named("Exit qualification: virtualised EOI")
            .field(7, 0, "VECTOR", "vector whose EOI caused the exit")
            .build();

    public static final BitLayout NOTIFY_QUALIFICATION = BitLayout.named("Exit qualification: notify")
            .flag(0, "CONTEXT_INVALID", "the VM context is corrupted; the guest cannot continue")
            .flag(12, "NMI_UNBLOCKING", "NMI unblocking due to IRET")
            .build();

    /** Undefined bits are shown as the 0 vmscope puts there and left out of summaries. */
    public static final BitLayout IO_INSTRUCTION_INFO = BitLayout.named("VM-exit instruction information: INS/OUTS")
            .field(6, 0, "UNDEFINED_6_0", "undefined by the SDM for INS/OUTS (shown as 0)").quietWhenZero()
            .field(9, 7, "ADDRESS_SIZE", "address size", Map.of(0L, "16-bit", 1L, "32-bit", 2L, "64-bit"))
            .field(14, 10, "UNDEFINED_14_10", "undefined by the SDM for INS/OUTS (shown as 0)").quietWhenZero()
            .field(17, 15, "SEGMENT", "segment of the memory operand (OUTS only; undefined for INS)",
                    Map.of(0L, "ES", 1L, "CS", 2L, "SS", 3L, "DS", 4L, "FS", 5L, "GS"))
            .field(31, 18, "UNDEFINED_31_18", "undefined by the SDM for INS/OUTS (shown as 0)").quietWhenZero()
            .build();

    public static final BitLayout SVM_IOIO_INFO1 = BitLayout.named("SVM EXITINFO1: IOIO")
            .field(0, 0, "TYPE", "direction", Map.of(0L, "OUT", 1L, "IN"))
            .flag(2, "STR", "string instruction (INS/OUTS)")
            .flag(3, "REP", "REP prefix")
            .flag(4, "SZ8", "8-bit operand")
            .flag(5, "SZ16", "16-bit operand")
            .flag(6, "SZ32", "32-bit operand")
            .flag(7, "A16", "16-bit address size")
            .flag(8, "A32", "32-bit address size")
            .flag(9, "A64", "64-bit address size")
            .field(12, 10, "SEG", "effective segment (string instructions)",
                    Map.of(0L, "ES", 1L, "CS", 2L, "SS", 3L, "DS", 4L, "FS", 5L, "GS"))
            .field(31, 16, "PORT", "port number", (v, w) -> String.format("0x%X", v)).leads()
            .build();

    public static final BitLayout SVM_NPF_INFO1 = BitLayout.named("SVM EXITINFO1: nested page fault")
            .flag(0, "P", "the nested page was present")
            .flag(1, "RW", "the access was a write")
            .flag(2, "US", "user access (always set for guest accesses to nested tables)")
            .flag(3, "RSV", "a reserved bit was set in a nested page-table entry")
            .flag(4, "ID", "the access was an instruction fetch")
            .flag(32, "FINAL", "fault on the final guest-physical address")
            .flag(33, "PAGE_WALK", "fault while walking the guest page tables")
            .build();

    public static final BitLayout SVM_INT_STATE = BitLayout.named("SVM interrupt state")
            .flag(0, "INTERRUPT_SHADOW", "the guest is in an STI or MOV SS shadow")
            .flag(1, "GUEST_INTERRUPT_MASK", "the guest's RFLAGS.IF under virtual interrupt masking")
            .build();

    /** The decoder for a VMCS field whose layout does not depend on the exit; exit-dependent fields use {@link #qualification}. */
    public static Optional<BitDecoder> forField(VmcsField f) {
        BitDecoder d = switch (f) {
            case GUEST_CR0, CR0_READ_SHADOW, CR0_GUEST_HOST_MASK -> CR0;
            case GUEST_CR4, CR4_READ_SHADOW, CR4_GUEST_HOST_MASK -> CR4;
            case GUEST_RFLAGS -> RFLAGS;
            case GUEST_IA32_EFER -> EFER;
            case GUEST_DR7 -> DR7;
            case GUEST_IA32_DEBUGCTL -> DEBUGCTL;
            case GUEST_IA32_PAT -> PAT;
            case GUEST_ES_AR_BYTES, GUEST_CS_AR_BYTES, GUEST_SS_AR_BYTES, GUEST_DS_AR_BYTES, GUEST_FS_AR_BYTES,
                    GUEST_GS_AR_BYTES, GUEST_LDTR_AR_BYTES, GUEST_TR_AR_BYTES -> VMX_ACCESS_RIGHTS;
            case GUEST_INTERRUPTIBILITY_INFO -> INTERRUPTIBILITY;
            case GUEST_ACTIVITY_STATE -> ACTIVITY_STATE;
            case VM_EXIT_REASON -> EXIT_REASON;
            case VM_EXIT_INTR_INFO, IDT_VECTORING_INFO_FIELD, VM_ENTRY_INTR_INFO_FIELD -> INTERRUPTION_INFO;
            default -> null;
        };
        return Optional.ofNullable(d);
    }

    /**
     * The exit-qualification layout for a basic exit reason, when it depends on the reason alone (for
     * EXCEPTION_NMI it depends on the vector: {@link ExitInfo#qualificationDecoder()} knows it).
     */
    public static Optional<BitDecoder> qualification(int basicReason) {
        BitDecoder d = switch (basicReason) {
            case VmxExitReasons.CR_ACCESS -> CR_ACCESS_QUALIFICATION;
            case VmxExitReasons.IO_INSTRUCTION -> IO_QUALIFICATION;
            case VmxExitReasons.APIC_ACCESS -> APIC_ACCESS_QUALIFICATION;
            case VmxExitReasons.EOI_INDUCED -> EOI_QUALIFICATION;
            case VmxExitReasons.EPT_VIOLATION -> EPT_VIOLATION_QUALIFICATION;
            case VmxExitReasons.NOTIFY -> NOTIFY_QUALIFICATION;
            default -> null;
        };
        return Optional.ofNullable(d);
    }

    /** The VM-exit instruction-information layout for a basic exit reason, when vmscope knows one. */
    public static Optional<BitDecoder> instructionInfo(int basicReason) {
        return basicReason == VmxExitReasons.IO_INSTRUCTION ? Optional.of(IO_INSTRUCTION_INFO) : Optional.empty();
    }
}
