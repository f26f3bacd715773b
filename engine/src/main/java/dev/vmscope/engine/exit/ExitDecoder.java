package dev.vmscope.engine.exit;

import java.util.Arrays;

/**
 * Turns the kept words of a kvm_run exit union (see {@link KvmExitReason#payloadWords}) into a {@link KvmExit}.
 * Word layouts follow the union members in linux/kvm.h read as little-endian u64s.
 */
public final class ExitDecoder {
    private ExitDecoder() {
    }

    public static KvmExit decode(int rawReason, long[] w, byte[] ioData) {
        KvmExitReason r = KvmExitReason.of(rawReason);
        return switch (r) {
            case IO -> new KvmExit.Io((w[0] & 0xFF) == 1, (int) ((w[0] >>> 8) & 0xFF), (int) ((w[0] >>> 16) & 0xFFFF),
                    (int) (w[0] >>> 32), ioData == null ? new byte[0] : ioData);
            case MMIO -> new KvmExit.Mmio(w[0], (int) w[2], ((w[2] >>> 32) & 0xFF) != 0, w[1]);
            case X86_RDMSR, X86_WRMSR -> new KvmExit.Msr(r == KvmExitReason.X86_WRMSR, (int) (w[1] >>> 32), w[2],
                    (int) (w[0] & 0xFF), (int) w[1]);
            case DEBUG -> new KvmExit.Debug((int) w[0], w[1], w[2], w[3]);
            case EXCEPTION -> new KvmExit.Exception((int) w[0], (int) (w[0] >>> 32));
            case FAIL_ENTRY -> new KvmExit.FailEntry(w[0], (int) w[1]);
            case INTERNAL_ERROR -> new KvmExit.InternalError((int) w[0], tail(w, (int) (w[0] >>> 32)));
            case SYSTEM_EVENT -> new KvmExit.SystemEvent((int) w[0], tail(w, (int) (w[0] >>> 32)));
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
