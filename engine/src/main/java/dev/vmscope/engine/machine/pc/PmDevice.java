package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.io.IoDevice;

/**
 * The ACPI fixed hardware the FADT points at, at QEMU q35's PM base 0x600: the PM1a event block (status, enable),
 * the PM1a control block (SCI_EN always set: there is no SMM to switch modes; SLP_EN with SLP_TYP 0, the DSDT's
 * S5, powers the machine off, which ends the run) and the 24-bit PM timer counting at 3.579545 MHz.
 */
public final class PmDevice implements IoDevice {
    public static final int PM1A_EVT = 0x600;
    public static final int PM1A_CNT = 0x604;
    public static final int PM_TMR = 0x608;
    /** Ports from PM1A_EVT on: 4 event, 2 control, 2 unused, 4 timer. */
    public static final int PORTS = 12;
    static final long TIMER_HZ = 3_579_545;
    private static final int SCI_EN = 1;
    private static final int SLP_TYP_SHIFT = 10;
    private static final int SLP_EN = 1 << 13;
    private static final int S5 = 0;

    private final long startNanos = System.nanoTime();
    private final Runnable onPowerOff;
    private int status;
    private int enable;
    private int control = SCI_EN;

    public PmDevice(Runnable onPowerOff) {
        this.onPowerOff = onPowerOff;
    }

    /** The timer's count now: ticks since the machine was built, in 24 bits. */
    long timer() {
        long micros = (System.nanoTime() - startNanos) / 1000;
        return micros * TIMER_HZ / 1_000_000 & 0xFFFFFF;
    }

    @Override
    public synchronized long in(int port, int size) {
        long v;
        if (port >= PM_TMR) {
            v = timer() >>> (8 * (port - PM_TMR));
        } else if (port >= PM1A_CNT + 2) {
            v = 0;
        } else if (port >= PM1A_CNT) {
            v = control >>> (8 * (port - PM1A_CNT));
        } else {
            long both = status | (long) enable << 16;
            v = both >>> (8 * (port - PM1A_EVT));
        }
        return v & (size >= 4 ? 0xFFFFFFFFL : (1L << (8 * size)) - 1);
    }

    @Override
    public synchronized void out(int port, int size, long value) {
        if (port == PM1A_EVT) {
            status &= ~(int) value;              // write 1 to clear
        } else if (port == PM1A_EVT + 2) {
            enable = (int) value & 0xFFFF;
        } else if (port == PM1A_CNT) {
            control = ((int) value & ~SLP_EN & 0xFFFF) | SCI_EN;
            if ((value & SLP_EN) != 0 && ((value >> SLP_TYP_SHIFT) & 7) == S5) {
                onPowerOff.run();
            }
        }
    }
}
