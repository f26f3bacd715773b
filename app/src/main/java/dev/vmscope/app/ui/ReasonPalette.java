package dev.vmscope.app.ui;

import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.RunSummary;
import javafx.scene.paint.Color;

/**
 * The one colour per exit reason, used by the timeline, the exit list, the legend and the statistics. Raw
 * reason codes as stored in {@code ExitColumns} (0..255) index it. Colours are picked to stay apart from each
 * other on both themes; reasons without a colour of their own share a neutral one.
 */
public final class ReasonPalette {
    /** Bit index used in reason masks: codes 0..62 have their own bit, everything else shares bit 63. */
    public static final int OTHER_BIT = 63;

    private static final Color[] BY_CODE = new Color[256];
    private static final String[] CSS = new String[256];
    private static final Color NEUTRAL = Color.web("#8c8c8c");

    static {
        set(KvmExitReason.IO, "#3b82f6");            // blue: the most common exit in small guests
        set(KvmExitReason.MMIO, "#f59e0b");          // amber
        set(KvmExitReason.HLT, "#6b7280");           // grey: the guest is done or idle
        set(KvmExitReason.X86_RDMSR, "#a855f7");     // purple
        set(KvmExitReason.X86_WRMSR, "#d946ef");     // magenta
        set(KvmExitReason.DEBUG, "#10b981");         // green: the debugger stopped it
        set(KvmExitReason.EXCEPTION, "#ef4444");     // red
        set(KvmExitReason.SHUTDOWN, "#b91c1c");      // dark red: triple fault
        set(KvmExitReason.FAIL_ENTRY, "#7f1d1d");
        set(KvmExitReason.INTERNAL_ERROR, "#dc2626");
        set(KvmExitReason.INTR, "#eab308");          // yellow: kicked out by a pause
        set(KvmExitReason.SYSTEM_EVENT, "#a16207");
        set(KvmExitReason.HYPERCALL, "#14b8a6");     // teal
        set(KvmExitReason.IRQ_WINDOW_OPEN, "#06b6d4");
        set(KvmExitReason.TPR_ACCESS, "#84cc16");
        set(KvmExitReason.SET_TPR, "#65a30d");
        set(KvmExitReason.NMI, "#f97316");
        set(KvmExitReason.IOAPIC_EOI, "#0ea5e9");
        set(KvmExitReason.X86_BUS_LOCK, "#e11d48");
        set(KvmExitReason.NOTIFY, "#facc15");
        set(KvmExitReason.MEMORY_FAULT, "#be123c");
        set(KvmExitReason.UNKNOWN, "#78716c");
        for (int i = 0; i < 256; i++) {
            if (BY_CODE[i] == null) {
                BY_CODE[i] = NEUTRAL;
            }
            CSS[i] = toCss(BY_CODE[i]);
        }
    }

    private ReasonPalette() {
    }

    private static void set(KvmExitReason r, String web) {
        BY_CODE[r.code] = Color.web(web);
    }

    private static String toCss(Color c) {
        return String.format("#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    /** The colour of raw reason code {@code code} (as in ExitColumns: 0..255). */
    public static Color color(int code) {
        return BY_CODE[code & 0xFF];
    }

    /** The same colour as a CSS literal ({@code #rrggbb}). */
    public static String css(int code) {
        return CSS[code & 0xFF];
    }

    /** The colour for bit {@code bit} of a reason mask (see {@link #bit}). */
    public static Color colorOfBit(int bit) {
        return bit == OTHER_BIT ? NEUTRAL : BY_CODE[bit];
    }

    /** Reason code to mask bit: one bit per code below 63, one shared bit for the rest. */
    public static int bit(int code) {
        return code < OTHER_BIT ? code : OTHER_BIT;
    }

    /** KVM's name for a raw code, e.g. IO, HLT, EXIT_77. */
    public static String name(int code) {
        return RunSummary.reasonName(code);
    }

    /** A short label for a mask bit. */
    public static String nameOfBit(int bit) {
        return bit == OTHER_BIT ? "other" : name(bit);
    }
}
