package dev.vmscope.engine.debug;

import dev.vmscope.engine.config.GuestConfigException;

/**
 * A hardware breakpoint in one of DR0–DR3: execute, write or read/write at a linear address, 1, 2, 4 or 8
 * bytes wide (data breakpoints must be aligned to their size, as the CPU requires).
 */
public record AddressBreakpoint(int id, long address, Kind kind, int length) {
    public enum Kind {
        EXECUTE(0), WRITE(1), READ_WRITE(3);

        /** The DR7 R/W field value. */
        final int rw;

        Kind(int rw) {
            this.rw = rw;
        }

        public static Kind parse(String s) {
            return switch (s.toLowerCase()) {
                case "x", "exec", "execute" -> EXECUTE;
                case "w", "write" -> WRITE;
                case "rw", "access", "read_write" -> READ_WRITE;
                default -> throw new GuestConfigException("unknown breakpoint kind '" + s + "' (x, w or rw)");
            };
        }
    }

    public AddressBreakpoint {
        if (kind == Kind.EXECUTE) {
            length = 1;
        }
        if (length != 1 && length != 2 && length != 4 && length != 8) {
            throw new GuestConfigException("a hardware breakpoint covers 1, 2, 4 or 8 bytes, not " + length);
        }
        if ((address & (length - 1)) != 0) {
            throw new GuestConfigException(String.format("a %d-byte breakpoint must be %d-byte aligned (0x%x is not)",
                    length, length, address));
        }
    }

    /** DR7 bits for slot {@code n}: local enable, R/W and LEN fields. */
    long dr7Bits(int n) {
        int len = switch (length) {
            case 1 -> 0;
            case 2 -> 1;
            case 8 -> 2;
            default -> 3;
        };
        return (1L << (2 * n)) | ((long) kind.rw << (16 + 4 * n)) | ((long) len << (18 + 4 * n));
    }

    @Override
    public String toString() {
        return String.format("addr 0x%x %s%s", address, kind.name().toLowerCase(), length > 1 ? " len=" + length : "");
    }
}
