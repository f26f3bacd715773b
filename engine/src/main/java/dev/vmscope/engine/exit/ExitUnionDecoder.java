package dev.vmscope.engine.exit;

import java.util.Arrays;

import static dev.vmscope.engine.sys.KvmRunLayout.*;

/**
 * Turns the kept words of a kvm_run exit union (see {@link KvmExitReason#payloadWords}) into a {@link KvmExit}.
 * The word layouts are {@link dev.vmscope.engine.sys.KvmRunLayout}'s.
 */
public final class ExitUnionDecoder {
    private ExitUnionDecoder() {
    }

    public static KvmExit decode(int rawReason, long[] w, byte[] ioData) {
        KvmExitReason r = KvmExitReason.of(rawReason);
        return switch (r) {
            case IO -> new KvmExit.Io(ioOut(w[0]), ioSize(w[0]), ioPort(w[0]), (int) ioCount(w[0]),
                    ioData == null ? new byte[0] : ioData);
            case MMIO -> new KvmExit.Mmio(w[MMIO_WORD_ADDRESS], mmioLength(w[MMIO_WORD_LENGTH]),
                    mmioWrite(w[MMIO_WORD_LENGTH]), w[MMIO_WORD_DATA]);
            case X86_RDMSR, X86_WRMSR -> new KvmExit.Msr(r == KvmExitReason.X86_WRMSR,
                    msrIndex(w[MSR_WORD_REASON_INDEX]), w[MSR_WORD_DATA], msrError(w[MSR_WORD_ERROR]),
                    msrReason(w[MSR_WORD_REASON_INDEX]));
            case DEBUG -> new KvmExit.Debug(low(w[DEBUG_WORD_EXCEPTION]), w[DEBUG_WORD_PC], w[DEBUG_WORD_DR6],
                    w[DEBUG_WORD_DR7]);
            case EXCEPTION -> new KvmExit.Exception(low(w[0]), high(w[0]));
            case FAIL_ENTRY -> new KvmExit.FailEntry(w[0], low(w[1]));
            case INTERNAL_ERROR -> new KvmExit.InternalError(low(w[0]), tail(w, high(w[0])));
            case SYSTEM_EVENT -> new KvmExit.SystemEvent(low(w[0]), tail(w, high(w[0])));
            case HYPERCALL -> new KvmExit.Hypercall(w[0], Arrays.copyOfRange(w, 1, 7));
            default -> new KvmExit.Simple(r, rawReason, w.clone());
        };
    }

    /** words 1..n, with n clamped to what was kept (KVM's ndata is at most 16). */
    private static long[] tail(long[] w, int n) {
        int count = Math.max(0, Math.min(n, w.length - 1));
        return Arrays.copyOfRange(w, 1, 1 + count);
    }
}
