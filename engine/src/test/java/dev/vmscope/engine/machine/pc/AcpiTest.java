package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.TestKernels;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ACPI tables and PM device on a real kernel (engine/src/test/kernels/acpi.asm): it finds the RSDP, checks every
 * checksum, counts CPUs and I/O APICs in the MADT, sees the PM timer advance and powers off through PM1a_CNT.
 */
class AcpiTest {

    @Test
    void aKernelFindsEveryCpuThroughTheMadtSeesThePmTimerAdvanceAndPowersOff() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("acpi.bin", TestKernels.image("acpi")).vcpus(3).build());
        assertThat(r.console()).as("outcome %s", r.outcome()).isEqualTo("cpus=3 ioapics=1\npmtimer advanced\n");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.SYSTEM_EVENT);
        assertThat(r.outcome().message()).contains("powered off through ACPI");
    }

    @Test
    void withOneCpuTheMadtListsOne() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("acpi.bin", TestKernels.image("acpi")).build());
        assertThat(r.console()).startsWith("cpus=1 ioapics=1\n");
    }

    /** Host side: each table the RSDT and XSDT name sums to zero and the MADT has one entry per vCPU. */
    @Test
    void everyTableSumsToZero() {
        try (GuestMemory mem = new GuestMemory(1 << 20)) {
            AcpiTables.write(mem, 4);
            long rsdp = AcpiTables.RSDP;
            assertThat(new String(mem.read(rsdp, 8), StandardCharsets.US_ASCII)).isEqualTo("RSD PTR ");
            assertThat(sum(mem, rsdp, 20)).isZero();
            assertThat(sum(mem, rsdp, 36)).isZero();
            long rsdt = mem.readInt(rsdp + 16);
            long xsdt = mem.readLong(rsdp + 24);
            for (long t : new long[]{rsdt, xsdt}) {
                assertThat(sum(mem, t, mem.readInt(t + 4))).isZero();
            }
            int n = (mem.readInt(rsdt + 4) - 36) / 4;
            assertThat(n).isEqualTo(2);
            for (int i = 0; i < n; i++) {
                long t = mem.readInt(rsdt + 36 + 4L * i);
                assertThat(mem.readLong(xsdt + 36 + 8L * i)).as("XSDT entry %d", i).isEqualTo(t);
                assertThat(sum(mem, t, mem.readInt(t + 4))).as("table at 0x%x", t).isZero();
                String sig = new String(mem.read(t, 4), StandardCharsets.US_ASCII);
                if (sig.equals("APIC")) {
                    assertThat(mem.readInt(t + 4)).as("MADT: header, 4 LAPICs, IOAPIC, override, NMI")
                            .isEqualTo(44 + 4 * 8 + 12 + 10 + 6);
                } else {
                    assertThat(sig).isEqualTo("FACP");
                    assertThat(mem.readInt(t + 76)).as("PM_TMR_BLK").isEqualTo(PmDevice.PM_TMR);
                    long dsdt = mem.readInt(t + 40);
                    assertThat(sum(mem, dsdt, mem.readInt(dsdt + 4))).isZero();
                }
            }
        }
    }

    private static int sum(GuestMemory mem, long at, int len) {
        int s = 0;
        for (byte b : mem.read(at, len)) {
            s += b;
        }
        return s & 0xFF;
    }
}
