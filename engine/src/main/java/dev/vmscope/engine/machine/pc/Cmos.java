package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.io.IoDevice;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The CMOS/RTC at 0x70 (index, bit 7 = NMI disable) and 0x71 (data): the clock in BCD from the host's UTC
 * time, status registers A–D, and the memory sizes BIOS-era code reads. Writes to the clock are accepted
 * and forgotten; other bytes are plain NVRAM.
 */
public final class Cmos implements IoDevice {
    public static final int PORT = 0x70;

    private final byte[] nvram = new byte[128];
    private int index;

    /** {@code lowBytes} of RAM from 0 (below the PCI hole), {@code highBytes} remapped above 4 GiB. */
    public Cmos(long lowBytes, long highBytes) {
        long extKb = Math.min(0xFFFF, Math.max(0, (lowBytes - 0x100000) / 1024));
        nvram[0x15] = (byte) 0x80;   // base memory: 640 KiB
        nvram[0x16] = (byte) 0x02;
        nvram[0x17] = (byte) extKb;  // extended memory above 1 MiB, KiB
        nvram[0x18] = (byte) (extKb >> 8);
        nvram[0x30] = (byte) extKb;
        nvram[0x31] = (byte) (extKb >> 8);
        long above16m = Math.max(0, (lowBytes - (16L << 20)) / (64 * 1024));
        nvram[0x34] = (byte) Math.min(0xFFFF, above16m);
        nvram[0x35] = (byte) (Math.min(0xFFFF, above16m) >> 8);
        long above4g = highBytes / (64 * 1024);   // as SeaBIOS reads it from QEMU: 64 KiB units in 0x5B-0x5D
        nvram[0x5B] = (byte) above4g;
        nvram[0x5C] = (byte) (above4g >> 8);
        nvram[0x5D] = (byte) (above4g >> 16);
    }

    @Override
    public synchronized long in(int port, int size) {
        if (port == PORT) {
            return 0xFF;   // the index register is write-only
        }
        return switch (index) {
            case 0x00, 0x02, 0x04, 0x06, 0x07, 0x08, 0x09, 0x32 -> clock(index);
            case 0x0A -> 0x26;   // status A: 32.768 kHz time base, no update in progress
            case 0x0B -> 0x02;   // status B: 24-hour, BCD
            case 0x0C -> 0x00;   // status C: no interrupt flags
            case 0x0D -> 0x80;   // status D: battery good
            default -> nvram[index] & 0xFF;
        };
    }

    @Override
    public synchronized void out(int port, int size, long value) {
        if (port == PORT) {
            index = (int) (value & 0x7F);
        } else if (index >= 0x0E) {
            nvram[index] = (byte) value;
        }
    }

    private static int clock(int reg) {
        LocalDateTime t = LocalDateTime.now(ZoneOffset.UTC);
        int v = switch (reg) {
            case 0x00 -> t.getSecond();
            case 0x02 -> t.getMinute();
            case 0x04 -> t.getHour();
            case 0x06 -> t.getDayOfWeek().getValue() % 7 + 1;
            case 0x07 -> t.getDayOfMonth();
            case 0x08 -> t.getMonthValue();
            case 0x09 -> t.getYear() % 100;
            default -> t.getYear() / 100;
        };
        return ((v / 10) << 4) | (v % 10);
    }
}
