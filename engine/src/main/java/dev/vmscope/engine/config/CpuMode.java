package dev.vmscope.engine.config;

/** The CPU mode the loader starts a guest in. */
public enum CpuMode {
    /** 16-bit real mode, as after reset but with CS base 0. */
    REAL,
    /** 32-bit protected mode, flat segments, paging off. */
    PROTECTED,
    /** 64-bit long mode with identity paging of the 4 GiB below 4 GiB. */
    LONG;

    public static CpuMode parse(String s) {
        return switch (s.trim().toLowerCase()) {
            case "real", "real16", "16" -> REAL;
            case "protected", "protected32", "32", "pm" -> PROTECTED;
            case "long", "long64", "64", "lm" -> LONG;
            default -> throw new GuestConfigException("unknown CPU mode '" + s + "' (use real, protected or long)");
        };
    }
}
