package dev.vmscope.engine.exit;

/**
 * kvm_run.exit_reason values (linux/kvm.h) and how many u64 words of the exit union vmscope keeps for
 * each (I/O keeps its own compact form plus the data bytes).
 */
public enum KvmExitReason {
    UNKNOWN(0, 1), EXCEPTION(1, 1), IO(2, 1), HYPERCALL(3, 9), DEBUG(4, 4), HLT(5, 0), MMIO(6, 3),
    IRQ_WINDOW_OPEN(7, 0), SHUTDOWN(8, 0), FAIL_ENTRY(9, 2), INTR(10, 0), SET_TPR(11, 0), TPR_ACCESS(12, 2),
    NMI(16, 0), INTERNAL_ERROR(17, 17), OSI(18, 1), PAPR_HCALL(19, 0), WATCHDOG(21, 0), EPR(23, 0),
    SYSTEM_EVENT(24, 17), IOAPIC_EOI(26, 1), HYPERV(27, 0), X86_RDMSR(29, 3), X86_WRMSR(30, 3),
    DIRTY_RING_FULL(31, 0), AP_RESET_HOLD(32, 1), X86_BUS_LOCK(33, 0), XEN(34, 0), NOTIFY(37, 1),
    MEMORY_FAULT(39, 3),
    /** A value vmscope does not know; the raw number is kept in the record. */
    OTHER(-1, 4);

    public final int code;
    /** u64 words of the exit union kept in the trace. */
    public final int payloadWords;

    private static final KvmExitReason[] BY_CODE = new KvmExitReason[64];

    static {
        for (KvmExitReason r : values()) {
            if (r.code >= 0) {
                BY_CODE[r.code] = r;
            }
        }
    }

    KvmExitReason(int code, int payloadWords) {
        this.code = code;
        this.payloadWords = payloadWords;
    }

    public static KvmExitReason of(int code) {
        KvmExitReason r = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        return r == null ? OTHER : r;
    }

    /** Accepts KVM's names with or without the KVM_EXIT_ prefix, case-insensitively; null when unknown. */
    public static KvmExitReason byName(String name) {
        String n = name.trim().toUpperCase();
        if (n.startsWith("KVM_EXIT_")) {
            n = n.substring(9);
        }
        if (n.equals("RDMSR")) {
            return X86_RDMSR;
        }
        if (n.equals("WRMSR")) {
            return X86_WRMSR;
        }
        for (KvmExitReason r : values()) {
            if (r.name().equals(n)) {
                return r;
            }
        }
        return null;
    }
}
