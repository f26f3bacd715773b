package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.GuestConfigException;
import java.util.Locale;

/**
 * The one rule for every size, count and duration a user gives (options, manifests, breakpoint conditions):
 * parsed here, checked against its range here, and refused in one line that names where it came from and what
 * is allowed. No value is silently replaced by a default, clamped, or left to overflow.
 */
public final class Quantities {
    /** Longer than anyone waits for a guest; beyond it a timeout is a typo, not a plan. */
    public static final double MAX_SECONDS = 366 * 24 * 3600.0;
    /** Counts of exits and hits: 2^48 exits would take years. */
    public static final long MAX_COUNT = 1L << 48;

    private Quantities() {
    }

    /**
     * Bytes: decimal or 0x hex with an optional K, M, G or T suffix (binary units), between {@code min} and
     * {@code max}. {@code what} names the source, e.g. "--mem" or "sample.properties: memory".
     */
    public static long size(String text, String what, long min, long max) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            default -> 0;
        };
        long n = number(shift == 0 ? t : t.substring(0, t.length() - 1), text, what, "a size (e.g. 64M, 2G)");
        if (n < 0 || n > max >> shift || n << shift < min) {   // shifts only once n is known to fit
            throw outOfRange(text, what, bytes(min), bytes(max));
        }
        return n << shift;
    }

    /** A whole number (decimal or 0x hex) between {@code min} and {@code max}. */
    public static long count(String text, String what, long min, long max) {
        long n = number(text.trim(), text, what, "a whole number");
        if (n < min || n > max) {
            throw outOfRange(text, what, String.format("%,d", min), String.format("%,d", max));
        }
        return n;
    }

    /** Seconds, decimal with an optional fraction, finite and between {@code min} and {@code max}. */
    public static double seconds(String text, String what, double min, double max) {
        double s;
        try {
            s = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            s = Double.NaN;
        }
        if (Double.isNaN(s)) {
            throw new GuestConfigException(what + " '" + text + "' is not a number of seconds");
        }
        if (s < min || s > max) {
            throw outOfRange(text, what, min + " s", String.format("%.0f s", max));
        }
        return s;
    }

    /** A byte count as a user writes it: 64 KiB, 2 MiB, 1 TiB, or bytes when it is no whole unit. */
    public static String bytes(long n) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            int shift = 40 - 10 * i;
            if (n >= 1L << shift && (n & ((1L << shift) - 1)) == 0) {
                return (n >> shift) + " " + units[i];
            }
        }
        return n + " bytes";
    }

    /** The number in {@code t}; one too large for a long comes back as the largest (or smallest) long. */
    private static long number(String t, String text, String what, String kind) {
        String s = t.toLowerCase(Locale.ROOT).replace("_", "");
        boolean hex = s.startsWith("0x");
        String digits = hex ? s.substring(2) : s.startsWith("-") ? s.substring(1) : s;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, hex ? 16 : 10) >= 0)) {
            throw new GuestConfigException(what + " '" + text + "' is not " + kind);
        }
        try {
            return hex ? Long.parseLong(digits, 16) : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static GuestConfigException outOfRange(String text, String what, String min, String max) {
        return new GuestConfigException(what + " '" + text.trim() + "' is out of range: " + min + " to " + max);
    }
}
