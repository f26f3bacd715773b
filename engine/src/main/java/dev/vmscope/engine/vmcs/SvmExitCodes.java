package dev.vmscope.engine.vmcs;

import java.util.HashMap;
import java.util.Map;

/** AMD SVM exit codes (APM Vol. 2, appendix "SVM Intercept Exit Codes"), the ones vmscope names. */
public final class SvmExitCodes {
    public static final long EXCP_BASE = 0x40, INTR = 0x60, NMI = 0x61, VINTR = 0x64, CPUID = 0x72, HLT = 0x78,
            IOIO = 0x7B, MSR = 0x7C, SHUTDOWN = 0x7F, VMMCALL = 0x81, XSETBV = 0x8D, BUS_LOCK = 0xA5, NPF = 0x400,
            AVIC_INCOMPLETE_IPI = 0x401, AVIC_NOACCEL = 0x402, VMGEXIT = 0x403, INVALID = -1;

    private static final Map<Long, String> NAMES = new HashMap<>();

    static {
        for (int n = 0; n < 16; n++) {
            NAMES.put((long) n, "READ_CR" + n);
            NAMES.put(0x10L + n, "WRITE_CR" + n);
            NAMES.put(0x20L + n, "READ_DR" + n);
            NAMES.put(0x30L + n, "WRITE_DR" + n);
        }
        for (int n = 0; n < 32; n++) {
            NAMES.put(EXCP_BASE + n, "EXCP_" + n + Vectors.suffix(n));
        }
        String[] misc = {"INTR", "NMI", "SMI", "INIT", "VINTR", "CR0_SEL_WRITE", "IDTR_READ", "GDTR_READ", "LDTR_READ",
                "TR_READ", "IDTR_WRITE", "GDTR_WRITE", "LDTR_WRITE", "TR_WRITE", "RDTSC", "RDPMC", "PUSHF", "POPF",
                "CPUID", "RSM", "IRET", "SWINT", "INVD", "PAUSE", "HLT", "INVLPG", "INVLPGA", "IOIO", "MSR",
                "TASK_SWITCH", "FERR_FREEZE", "SHUTDOWN", "VMRUN", "VMMCALL", "VMLOAD", "VMSAVE", "STGI", "CLGI",
                "SKINIT", "RDTSCP", "ICEBP", "WBINVD", "MONITOR", "MWAIT", "MWAIT_CONDITIONAL", "XSETBV", "RDPRU",
                "EFER_WRITE_TRAP"};
        for (int i = 0; i < misc.length; i++) {
            NAMES.put(0x60L + i, misc[i]);
        }
        NAMES.put(0xA0L, "INVLPGB");
        NAMES.put(0xA1L, "INVLPGB_ILLEGAL");
        NAMES.put(0xA2L, "INVPCID");
        NAMES.put(0xA3L, "MCOMMIT");
        NAMES.put(0xA4L, "TLBSYNC");
        NAMES.put(BUS_LOCK, "BUS_LOCK");
        NAMES.put(NPF, "NPF");
        NAMES.put(AVIC_INCOMPLETE_IPI, "AVIC_INCOMPLETE_IPI");
        NAMES.put(AVIC_NOACCEL, "AVIC_NOACCEL");
        NAMES.put(VMGEXIT, "VMGEXIT");
        NAMES.put(INVALID, "INVALID");
    }

    private SvmExitCodes() {
    }

    public static String name(long code) {
        return NAMES.getOrDefault(code, String.format("EXIT_0x%X", code));
    }
}
