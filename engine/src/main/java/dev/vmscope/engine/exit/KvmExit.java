package dev.vmscope.engine.exit;

import dev.vmscope.engine.sys.KvmRunLayout;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One decoded KVM exit: why KVM_RUN returned to user space, with the payload KVM gave. A sealed
 * hierarchy so every consumer handles every kind.
 */
public sealed interface KvmExit {
    KvmExitReason reason();

    /** One line for consoles and tables, e.g. {@code out 0x3f8 size 1 = 0x48 'H'}. */
    String detail();

    /** Port I/O. {@code data} holds size*count bytes (the value written, or the value returned for IN). */
    record Io(boolean out, int size, int port, int count, byte[] data) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.IO; }

        /** The first element's value, little-endian (what AL/AX/EAX carried or received). */
        public long value() {
            long v = 0;
            for (int i = Math.min(size, data.length) - 1; i >= 0; i--) {
                v = (v << 8) | (data[i] & 0xFF);
            }
            return v;
        }

        public String detail() {
            StringBuilder b = new StringBuilder();
            b.append(out ? "out" : "in").append(String.format(" 0x%x", port)).append(" size ").append(size);
            if (count != 1) {
                b.append(" count ").append(count);
            }
            if (count == 1) {
                b.append(String.format(" = 0x%x", value()));
                if (size == 1 && value() >= 0x20 && value() < 0x7F) {
                    b.append(" '").append((char) value()).append('\'');
                }
            } else {
                b.append(" data ").append(HexFormat.of().formatHex(data, 0, Math.min(data.length, 16)));
                if (data.length > 16) {
                    b.append('…');
                }
            }
            return b.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Io i && i.out == out && i.size == size && i.port == port && i.count == count
                    && Arrays.equals(i.data, data);
        }

        @Override
        public int hashCode() {
            return port * 31 + Arrays.hashCode(data);
        }
    }

    record Mmio(long address, int length, boolean write, long data) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.MMIO; }

        public String detail() {
            return String.format("%s 0x%x len %d %s 0x%x", write ? "write" : "read", address, length,
                    write ? "=" : "->", value());
        }

        /** The bytes that were moved: kvm_run's data[8] holds {@code length} of them, the rest is stale. */
        public long value() {
            return length >= 8 ? data : data & ((1L << (8 * Math.max(0, length))) - 1);
        }
    }

    /** RDMSR or WRMSR sent to user space. {@code data}: the value written, or returned to the guest. */
    record Msr(boolean write, int index, long data, int error, int filterReason) implements KvmExit {
        public KvmExitReason reason() { return write ? KvmExitReason.X86_WRMSR : KvmExitReason.X86_RDMSR; }

        public String detail() {
            return String.format("%s msr 0x%x %s 0x%x%s", write ? "wrmsr" : "rdmsr", index, write ? "=" : "->",
                    data, error != 0 ? " #GP" : "");
        }
    }

    /** A debug exception for the debugger: single step (DR6.BS) or a hardware breakpoint. */
    record Debug(int exception, long pc, long dr6, long dr7) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.DEBUG; }

        public boolean singleStep() { return (dr6 & KvmRunLayout.DR6_SINGLE_STEP) != 0; }

        /**
         * Whether {@code dr7} can be a DR7 at all (SDM 17.2.4: bit 10 reads 1; bits 11, 12, 14, 15 and 63:32 read
         * 0). Some hosts (PVM) leave kvm_run's dr7 unset, and then it holds whatever was there before.
         */
        public boolean validDr7() {
            return (dr7 >>> 32) == 0 && (dr7 & 0x400) != 0 && (dr7 & 0xD800) == 0;
        }

        public String detail() {
            return String.format("#%s pc 0x%x dr6 0x%x dr7 0x%x%s", exception == 1 ? "DB" : exception == 3 ? "BP"
                    : String.valueOf(exception), pc, dr6, dr7, validDr7() ? "" : " (not a valid DR7: unreliable)");
        }
    }

    record Exception(int exception, int errorCode) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.EXCEPTION; }

        public String detail() {
            return String.format("exception %d error 0x%x", exception, errorCode);
        }
    }

    record FailEntry(long hardwareReason, int cpu) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.FAIL_ENTRY; }

        public String detail() {
            return String.format("hardware entry failure reason 0x%x on cpu %d", hardwareReason, cpu);
        }
    }

    record InternalError(int suberror, long[] data) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.INTERNAL_ERROR; }

        public String suberrorName() {
            return switch (suberror) {
                case 1 -> "EMULATION (KVM could not emulate an instruction)";
                case 2 -> "SIMUL_EX (exception while delivering an exception)";
                case 3 -> "DELIVERY_EV (event delivery failed)";
                case 4 -> "UNEXPECTED_EXIT_REASON";
                default -> "suberror " + suberror;
            };
        }

        public String detail() {
            StringBuilder b = new StringBuilder(suberrorName());
            for (long d : data) {
                b.append(String.format(" 0x%x", d));
            }
            return b.toString();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InternalError x && x.suberror == suberror && Arrays.equals(x.data, data);
        }

        @Override
        public int hashCode() {
            return suberror * 31 + Arrays.hashCode(data);
        }
    }

    record SystemEvent(int type, long[] data) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.SYSTEM_EVENT; }

        public String detail() {
            return switch (type) {
                case 1 -> "shutdown";
                case 2 -> "reset";
                case 3 -> "crash";
                default -> "system event " + type;
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SystemEvent x && x.type == type && Arrays.equals(x.data, data);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(data);
        }
    }

    record Hypercall(long nr, long[] args) implements KvmExit {
        public KvmExitReason reason() { return KvmExitReason.HYPERCALL; }

        public String detail() {
            return "hypercall " + nr;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hypercall h && h.nr == nr && Arrays.equals(h.args, args);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(nr) * 31 + Arrays.hashCode(args);
        }
    }

    /** An exit with no payload (HLT, SHUTDOWN, INTR, IRQ_WINDOW_OPEN, …) or one vmscope keeps raw. */
    record Simple(KvmExitReason reason, int rawReason, long[] raw) implements KvmExit {
        public String detail() {
            return switch (reason) {
                case HLT -> "hlt";
                case SHUTDOWN -> "triple fault (shutdown)";
                case INTR -> "interrupted by a signal (pause)";
                case UNKNOWN -> String.format("hardware exit reason 0x%x", raw.length > 0 ? raw[0] : 0);
                case OTHER -> "exit reason " + rawReason;
                default -> reason.name().toLowerCase();
            };
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Simple s && s.reason == reason && s.rawReason == rawReason && Arrays.equals(s.raw, raw);
        }

        @Override
        public int hashCode() {
            return reason.hashCode() * 31 + rawReason;
        }
    }
}
