package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.kvm.GuestMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The ACPI tables a PC's firmware leaves for the kernel, built as QEMU's firmware does for a q35 machine, in the
 * BIOS area (0xF0000, reserved in the memory map) where kernels search for the RSDP: RSDP (ACPI 2.0) → RSDT and
 * XSDT → FADT (revision 3: PM timer, PM1a event and control blocks of {@link PmDevice}, SCI on IRQ 9) → FACS and
 * DSDT (only an {@code _S5} package, so a kernel can power off), and the MADT listing every vCPU's local APIC,
 * the IOAPIC, the SCI's interrupt source override and the LINT1 NMI. Every table's checksum makes its bytes sum
 * to zero (ACPI 6.5 §5.2).
 */
public final class AcpiTables {
    public static final long RSDP = 0xF0000;
    /** The BIOS area's end: everything here must fit below it. */
    private static final long END = 0x100000;
    public static final long LOCAL_APIC = 0xFEE00000L;
    public static final long IOAPIC = 0xFEC00000L;
    /** KVM's IOAPIC comes out of reset with ID 0, and QEMU's MADT says 0 too. */
    private static final int IOAPIC_ID = 0;
    private static final int SCI_IRQ = 9;
    private static final int HEADER = 36;
    private static final byte[] OEM_ID = ascii("VMSCOP");
    private static final byte[] OEM_TABLE_ID = ascii("VMSCOPE ");

    private final ByteBuffer b = ByteBuffer.allocate((int) (END - RSDP)).order(ByteOrder.LITTLE_ENDIAN);

    private AcpiTables() {
    }

    /** Writes the tables for {@code vcpus} CPUs into guest RAM at {@link #RSDP} and returns how much they took. */
    public static int write(GuestMemory mem, int vcpus) {
        AcpiTables t = new AcpiTables();
        int size = t.build(vcpus);
        mem.write(RSDP, t.b.array(), 0, size);
        return size;
    }

    private int build(int vcpus) {
        int rsdt = 0x40;
        int xsdt = 0x80;
        int fadt = 0xC0;
        int facs = 0x1C0;   // 64-byte aligned
        int dsdt = 0x200;
        int madt = 0x240;

        facs(facs);
        int dsdtEnd = dsdt(dsdt);
        int madtEnd = madt(madt, vcpus);
        fadt(fadt, facs, dsdt);
        header(rsdt, "RSDT", HEADER + 8, 1);
        b.putInt(rsdt + HEADER, (int) (RSDP + fadt)).putInt(rsdt + HEADER + 4, (int) (RSDP + madt));
        checksum(rsdt, HEADER + 8, 9);
        header(xsdt, "XSDT", HEADER + 16, 1);
        b.putLong(xsdt + HEADER, RSDP + fadt).putLong(xsdt + HEADER + 8, RSDP + madt);
        checksum(xsdt, HEADER + 16, 9);
        rsdp(rsdt, xsdt);
        return Math.max(dsdtEnd, madtEnd);
    }

    private void rsdp(int rsdt, int xsdt) {
        b.put(0, ascii("RSD PTR "));
        b.put(9, OEM_ID);
        b.put(15, (byte) 2);                        // revision: ACPI 2.0 and later (XSDT present)
        b.putInt(16, (int) (RSDP + rsdt));
        b.putInt(20, 36);                           // length of the whole RSDP
        b.putLong(24, RSDP + xsdt);
        checksum(0, 20, 8);                         // the ACPI 1.0 part
        checksum(0, 36, 32);                        // extended checksum over all of it
    }

    private void fadt(int at, int facs, int dsdt) {
        int len = 244;
        header(at, "FACP", len, 3);
        b.putInt(at + 36, (int) (RSDP + facs));
        b.putInt(at + 40, (int) (RSDP + dsdt));
        b.putShort(at + 46, (short) SCI_IRQ);
        // SMI_CMD 0: no SMM to ask, ACPI mode is always on (SCI_EN reads 1)
        b.putInt(at + 56, PmDevice.PM1A_EVT);
        b.putInt(at + 64, PmDevice.PM1A_CNT);
        b.putInt(at + 76, PmDevice.PM_TMR);
        b.put(at + 88, (byte) 4);                   // PM1_EVT_LEN: status and enable, 2 bytes each
        b.put(at + 89, (byte) 2);                   // PM1_CNT_LEN
        b.put(at + 91, (byte) 4);                   // PM_TMR_LEN
        b.putShort(at + 96, (short) 0xFFF);         // P_LVL2_LAT > 100: no C2
        b.putShort(at + 98, (short) 0xFFFF);        // P_LVL3_LAT > 1000: no C3
        b.put(at + 108, (byte) 0x32);               // CENTURY: the CMOS byte
        b.putShort(at + 109, (short) 0x2);          // IAPC_BOOT_ARCH: an 8042 is present
        // flags: WBINVD, PROC_C1, SLP_BUTTON (none), RTC_S4, USE_PLATFORM_CLOCK, as QEMU's
        b.putInt(at + 112, 1 | 1 << 2 | 1 << 5 | 1 << 7 | 1 << 15);
        b.putLong(at + 132, RSDP + facs);           // X_FIRMWARE_CTRL
        b.putLong(at + 140, RSDP + dsdt);           // X_DSDT
        gas(at + 148, PmDevice.PM1A_EVT, 32);       // X_PM1a_EVT_BLK
        gas(at + 172, PmDevice.PM1A_CNT, 16);       // X_PM1a_CNT_BLK
        gas(at + 208, PmDevice.PM_TMR, 32);         // X_PM_TMR_BLK
        checksum(at, len, 9);
    }

    /** A Generic Address Structure in system I/O space. */
    private void gas(int at, int port, int bits) {
        b.put(at, (byte) 1).put(at + 1, (byte) bits).put(at + 2, (byte) 0)
                .put(at + 3, (byte) (bits == 32 ? 3 : 2)).putLong(at + 4, port);
    }

    private void facs(int at) {
        b.put(at, ascii("FACS"));
        b.putInt(at + 4, 64);
        b.put(at + 32, (byte) 2);                   // version
    }

    private int dsdt(int at) {
        // Name (_S5, Package (4) { 0, 0, 0, 0 }): S5 (soft off) is SLP_TYP 0, as in QEMU's q35 DSDT
        byte[] aml = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00};
        int len = HEADER + aml.length;
        header(at, "DSDT", len, 2);
        b.put(at + HEADER, aml);
        checksum(at, len, 9);
        return at + len;
    }

    private int madt(int at, int vcpus) {
        int p = at + 44;
        for (int i = 0; i < vcpus; i++) {          // Processor Local APIC: UID i, APIC ID i, enabled
            b.put(p, (byte) 0).put(p + 1, (byte) 8).put(p + 2, (byte) i).put(p + 3, (byte) i).putInt(p + 4, 1);
            p += 8;
        }
        b.put(p, (byte) 1).put(p + 1, (byte) 12).put(p + 2, (byte) IOAPIC_ID).put(p + 3, (byte) 0)   // I/O APIC
                .putInt(p + 4, (int) IOAPIC).putInt(p + 8, 0);
        p += 12;
        // ISA IRQ 9 (the SCI) at GSI 9, level triggered, active high. ISA IRQ 0 stays at GSI 0: KVM's default
        // routing, where QEMU re-routes it to GSI 2 and says so here.
        b.put(p, (byte) 2).put(p + 1, (byte) 10).put(p + 2, (byte) 0).put(p + 3, (byte) SCI_IRQ)
                .putInt(p + 4, SCI_IRQ).putShort(p + 8, (short) 0xD);
        p += 10;
        b.put(p, (byte) 4).put(p + 1, (byte) 6).put(p + 2, (byte) 0xFF).putShort(p + 3, (short) 0)   // NMI on LINT1
                .put(p + 5, (byte) 1);
        p += 6;
        int len = p - at;
        header(at, "APIC", len, 3);
        b.putInt(at + 36, (int) LOCAL_APIC);
        b.putInt(at + 40, 1);                       // PCAT_COMPAT: there are 8259s too
        checksum(at, len, 9);
        return p;
    }

    private void header(int at, String signature, int length, int revision) {
        b.put(at, ascii(signature));
        b.putInt(at + 4, length);
        b.put(at + 8, (byte) revision);
        b.put(at + 10, OEM_ID);
        b.put(at + 16, OEM_TABLE_ID);
        b.putInt(at + 24, 1);
        b.put(at + 28, ascii("VMSC"));
        b.putInt(at + 32, 1);
    }

    /** Sets the byte at {@code at + field} so that the {@code length} bytes from {@code at} sum to zero. */
    private void checksum(int at, int length, int field) {
        b.put(at + field, (byte) 0);
        int sum = 0;
        for (int i = 0; i < length; i++) {
            sum += b.get(at + i);
        }
        b.put(at + field, (byte) -sum);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
