package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;

/** Sample KVM exits for tests. */
final class Exits {
    private Exits() {
    }

    static KvmExit.Io out(int port, int size, int count, int... data) {
        byte[] d = new byte[Math.max(1, size * count)];
        for (int i = 0; i < data.length && i < d.length; i++) {
            d[i] = (byte) data[i];
        }
        return new KvmExit.Io(true, size, port, count, d);
    }

    static KvmExit.Io in(int port, int size) {
        return new KvmExit.Io(false, size, port, 1, new byte[size]);
    }

    static KvmExit simple(KvmExitReason r) {
        return new KvmExit.Simple(r, r.code, new long[r.payloadWords]);
    }

    static KvmExit simple(KvmExitReason r, long... raw) {
        return new KvmExit.Simple(r, r.code, raw);
    }

    static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    /** One plausible exit of every KVM exit kind, for coverage tests. */
    static KvmExit sampleOf(KvmExitReason r) {
        return switch (r) {
            case IO -> out(0x3F8, 1, 1, 'H');
            case MMIO -> new KvmExit.Mmio(0xD0000000L, 4, true, 0x12345678);
            case X86_RDMSR -> new KvmExit.Msr(false, 0x10, 0, 0, 4);
            case X86_WRMSR -> new KvmExit.Msr(true, 0x10, 5, 0, 4);
            case DEBUG -> new KvmExit.Debug(1, 0x1000, 0xFFFF4FF0L, 0x400);
            case EXCEPTION -> new KvmExit.Exception(13, 0x18);
            case FAIL_ENTRY -> new KvmExit.FailEntry(0x80000021L, 0);
            case INTERNAL_ERROR -> new KvmExit.InternalError(1, new long[]{0});
            case SYSTEM_EVENT -> new KvmExit.SystemEvent(2, new long[0]);
            case HYPERCALL -> new KvmExit.Hypercall(12, new long[6]);
            case OTHER -> new KvmExit.Simple(KvmExitReason.OTHER, 99, new long[4]);
            default -> simple(r);
        };
    }
}
