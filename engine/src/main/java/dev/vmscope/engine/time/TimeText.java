package dev.vmscope.engine.time;

import java.util.Locale;

/**
 * Times for people, in one place: every view (timeline axis, exit list, hovers, status bar, statistics) and
 * command writes times through here, so a time reads the same everywhere. A time carries its unit (ns, µs, ms,
 * s, chosen by its size) and long digit runs are grouped in threes by a thin space ({@value #GROUP}), as SI
 * does: {@code 12.345 ms}, {@code 1.2 µs}, {@code 1.234 567 s}.
 */
public final class TimeText {
    /** THIN SPACE: groups digits without reading as a decimal mark in any locale. */
    public static final char GROUP = '\u2009';

    private TimeText() {
    }

    /** A length of time, up to three decimals in its unit, trailing zeros dropped: "850 ns", "1.2 µs", "12.345 ms". */
    public static String duration(double ns) {
        double a = Math.abs(ns);
        if (a < 1e3) {
            return trimmed(ns, 0) + " ns";
        }
        if (a < 1e6) {
            return trimmed(ns / 1e3, 3) + " µs";
        }
        if (a < 1e9) {
            return trimmed(ns / 1e6, 3) + " ms";
        }
        return trimmed(ns / 1e9, 3) + " s";
    }

    /**
     * A moment on the run's clock, exact enough to tell exits apart: to the ns below a second, to the µs above,
     * digits grouped ("842 ns", "12.345 678 ms", "3.141 592 s"). Same size, same width: a column of them lines up.
     */
    public static String instant(long ns) {
        long a = Math.abs(ns);
        String sign = ns < 0 ? "−" : "";
        if (a < 1_000) {
            return sign + a + " ns";
        }
        if (a < 1_000_000) {
            return sign + fixed(a, 1_000, 3) + " µs";
        }
        if (a < 1_000_000_000) {
            return sign + fixed(a, 1_000_000, 6) + " ms";
        }
        return sign + fixed(a / 1_000, 1_000_000, 6) + " s";
    }

    /**
     * An axis tick at {@code ns} where ticks are {@code stepNs} apart: in the unit its own size asks for, with as
     * many decimals as the step needs and no trailing zeros ("800 µs", "1 ms", "42.2 ms").
     */
    public static String tick(double ns, double stepNs) {
        double size = Math.max(Math.abs(ns), stepNs);     // 0 takes the step's unit
        int u = size >= 1e9 ? 3 : size >= 1e6 ? 2 : size >= 1e3 ? 1 : 0;
        double unit = Math.pow(1000, u);
        int decimals = (int) Math.max(0, Math.min(9, Math.ceil(-Math.log10(stepNs / unit) - 1e-9)));
        return trimmed(ns / unit, decimals) + " " + UNITS[u];
    }

    private static final String[] UNITS = {"ns", "µs", "ms", "s"};

    /** {@code v / unit} with {@code decimals} digits after the point, both sides grouped in threes. */
    private static String fixed(long v, long unit, int decimals) {
        String frac = String.format(Locale.ROOT, "%0" + decimals + "d", v % unit);
        return grouped(Long.toString(v / unit), true) + "." + grouped(frac, false);
    }

    private static String trimmed(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        if (s.equals("-0")) {
            s = "0";
        }
        int dot = s.indexOf('.');
        String whole = dot < 0 ? s : s.substring(0, dot);
        String sign = whole.startsWith("-") ? "−" : "";
        whole = sign.isEmpty() ? whole : whole.substring(1);
        return sign + grouped(whole, true) + (dot < 0 ? "" : "." + grouped(s.substring(dot + 1), false));
    }

    /** Groups of three from the point outwards; runs of four digits or fewer stay whole (SI's convention). */
    private static String grouped(String digits, boolean wholePart) {
        if (digits.length() <= 4) {
            return digits;
        }
        StringBuilder b = new StringBuilder(digits.length() + digits.length() / 3);
        for (int i = 0; i < digits.length(); i++) {
            int fromPoint = wholePart ? digits.length() - i : i;
            if (i > 0 && fromPoint % 3 == 0) {
                b.append(GROUP);
            }
            b.append(digits.charAt(i));
        }
        return b.toString();
    }
}
