package dev.vmscope.engine.vmcs;

import java.util.List;
import java.util.Optional;

/** The Intel basic exit reasons 0-75 (SDM Vol. 3D, appendix "VMX Basic Exit Reasons"), unused numbers included. */
public final class VmxExitReasons {
    public static final int EXCEPTION_NMI = 0, EXTERNAL_INTERRUPT = 1, TRIPLE_FAULT = 2, INTERRUPT_WINDOW = 7,
            HLT = 12, VMCALL = 18, CR_ACCESS = 28, DR_ACCESS = 29, IO_INSTRUCTION = 30, MSR_READ = 31, MSR_WRITE = 32,
            INVALID_GUEST_STATE = 33, MSR_LOAD_FAIL = 34, MCE_DURING_VMENTRY = 41, APIC_ACCESS = 44, EOI_INDUCED = 45,
            EPT_VIOLATION = 48, EPT_MISCONFIG = 49, BUS_LOCK = 74, NOTIFY = 75;

    /** Bit 31 of the exit-reason field: the exit reports a failed VM entry. */
    public static final int ENTRY_FAILURE = 1 << 31;

    private static final List<VmxExitReason> ALL = List.of(
            r(0, "EXCEPTION_NMI", "Exception or non-maskable interrupt"),
            r(1, "EXTERNAL_INTERRUPT", "External interrupt"),
            r(2, "TRIPLE_FAULT", "Triple fault"),
            r(3, "INIT_SIGNAL", "INIT signal"),
            r(4, "SIPI", "Start-up IPI"),
            r(5, "IO_SMI", "I/O system-management interrupt"),
            r(6, "OTHER_SMI", "Other system-management interrupt"),
            r(7, "INTERRUPT_WINDOW", "Interrupt window open"),
            r(8, "NMI_WINDOW", "NMI window open"),
            r(9, "TASK_SWITCH", "Task switch"),
            r(10, "CPUID", "CPUID"),
            r(11, "GETSEC", "GETSEC"),
            r(12, "HLT", "HLT"),
            r(13, "INVD", "INVD"),
            r(14, "INVLPG", "INVLPG"),
            r(15, "RDPMC", "RDPMC"),
            r(16, "RDTSC", "RDTSC"),
            r(17, "RSM", "RSM in SMM"),
            r(18, "VMCALL", "VMCALL"),
            r(19, "VMCLEAR", "VMCLEAR"),
            r(20, "VMLAUNCH", "VMLAUNCH"),
            r(21, "VMPTRLD", "VMPTRLD"),
            r(22, "VMPTRST", "VMPTRST"),
            r(23, "VMREAD", "VMREAD"),
            r(24, "VMRESUME", "VMRESUME"),
            r(25, "VMWRITE", "VMWRITE"),
            r(26, "VMXOFF", "VMXOFF"),
            r(27, "VMXON", "VMXON"),
            r(28, "CR_ACCESS", "Control-register access (MOV CR, CLTS, LMSW)"),
            r(29, "DR_ACCESS", "MOV to or from a debug register"),
            r(30, "IO_INSTRUCTION", "I/O instruction (IN, OUT, INS, OUTS)"),
            r(31, "MSR_READ", "RDMSR"),
            r(32, "MSR_WRITE", "WRMSR"),
            r(33, "INVALID_GUEST_STATE", "VM-entry failure: invalid guest state"),
            r(34, "MSR_LOAD_FAIL", "VM-entry failure: MSR loading"),
            unused(35),
            r(36, "MWAIT", "MWAIT"),
            r(37, "MONITOR_TRAP_FLAG", "Monitor trap flag"),
            unused(38),
            r(39, "MONITOR", "MONITOR"),
            r(40, "PAUSE", "PAUSE"),
            r(41, "MCE_DURING_VMENTRY", "VM-entry failure: machine-check event"),
            unused(42),
            r(43, "TPR_BELOW_THRESHOLD", "TPR below threshold"),
            r(44, "APIC_ACCESS", "APIC access"),
            r(45, "EOI_INDUCED", "Virtualised EOI"),
            r(46, "GDTR_IDTR", "Access to GDTR or IDTR (LGDT, LIDT, SGDT, SIDT)"),
            r(47, "LDTR_TR", "Access to LDTR or TR (LLDT, LTR, SLDT, STR)"),
            r(48, "EPT_VIOLATION", "EPT violation"),
            r(49, "EPT_MISCONFIG", "EPT misconfiguration"),
            r(50, "INVEPT", "INVEPT"),
            r(51, "RDTSCP", "RDTSCP"),
            r(52, "PREEMPTION_TIMER", "VMX-preemption timer expired"),
            r(53, "INVVPID", "INVVPID"),
            r(54, "WBINVD", "WBINVD or WBNOINVD"),
            r(55, "XSETBV", "XSETBV"),
            r(56, "APIC_WRITE", "APIC write"),
            r(57, "RDRAND", "RDRAND"),
            r(58, "INVPCID", "INVPCID"),
            r(59, "VMFUNC", "VMFUNC"),
            r(60, "ENCLS", "ENCLS"),
            r(61, "RDSEED", "RDSEED"),
            r(62, "PML_FULL", "Page-modification log full"),
            r(63, "XSAVES", "XSAVES"),
            r(64, "XRSTORS", "XRSTORS"),
            r(65, "PCONFIG", "PCONFIG"),
            r(66, "SPP_EVENT", "Sub-page-permission event"),
            r(67, "UMWAIT", "UMWAIT"),
            r(68, "TPAUSE", "TPAUSE"),
            r(69, "LOADIWKEY", "LOADIWKEY"),
            r(70, "ENCLV", "ENCLV"),
            unused(71),
            r(72, "ENQCMD_PASID_FAIL", "ENQCMD PASID translation failure"),
            r(73, "ENQCMDS_PASID_FAIL", "ENQCMDS PASID translation failure"),
            r(74, "BUS_LOCK", "Bus lock"),
            r(75, "NOTIFY", "Instruction timeout (notify window)"));

    private VmxExitReasons() {
    }

    private static VmxExitReason r(int code, String name, String description) {
        return new VmxExitReason(code, name, description, true);
    }

    private static VmxExitReason unused(int code) {
        return new VmxExitReason(code, "UNUSED_" + code, "not used by the SDM", false);
    }

    /** Reasons 0-75 in order; index = code. */
    public static List<VmxExitReason> all() {
        return ALL;
    }

    public static Optional<VmxExitReason> of(int basicReason) {
        return basicReason >= 0 && basicReason < ALL.size() ? Optional.of(ALL.get(basicReason)) : Optional.empty();
    }

    /** The name, or {@code REASON_n} for numbers outside the table. */
    public static String name(int basicReason) {
        return of(basicReason).map(VmxExitReason::name).orElse("REASON_" + basicReason);
    }
}
