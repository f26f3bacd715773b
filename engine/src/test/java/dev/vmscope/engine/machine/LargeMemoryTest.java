package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.kvm.GuestMemoryException;
import dev.vmscope.engine.machine.boot.E820;
import dev.vmscope.engine.machine.boot.RamLayout;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.testing.TestKernels;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Guests with 2 GiB and more: two memory slots with the PCI hole between them (QEMU q35's layout), a guest that
 * writes and reads on both sides of the hole, the maps kernels read, and host-side reads across slots.
 */
class LargeMemoryTest {
    private static final long GIB = 1L << 30;

    @Test
    void threeGigabytesAreTwoBelowTheHoleAndOneAboveFourGigabytes() {
        assertThat(RamLayout.lowBytes(3 * GIB)).isEqualTo(2 * GIB);
        assertThat(RamLayout.highBytes(3 * GIB)).isEqualTo(GIB);
        assertThat(RamLayout.lowBytes(0xAFFFF000L)).as("below 2.75 GiB: no remapping").isEqualTo(0xAFFFF000L);
        List<E820> map = E820.map(3 * GIB, Loader.RESERVED_TOP);
        assertThat(map).contains(new E820(RamLayout.HIGH_START, GIB, E820.RAM));
        assertThat(map).noneMatch(e -> e.base() < RamLayout.HIGH_START && e.base() + e.length() > 2 * GIB);
        assertThat(map.stream().filter(e -> e.type() == E820.RAM).mapToLong(E820::length).sum()
                + map.stream().filter(e -> e.type() == E820.RESERVED && e.base() >= 0x100000).mapToLong(E820::length)
                .sum()).as("RAM and the loader's block account for all of it but the EBDA and the legacy area")
                .isEqualTo(3 * GIB - (0x100000 - 0x9FC00));
    }

    @Test
    void aGuestWritesAndReadsBothSidesOfThePciHole() throws Exception {
        KvmTests.requireKvm();
        MachineConfig c = MachineConfig.builder("highmem", TestKernels.image("highmem")).mode(CpuMode.LONG)
                .memory(3 * GIB).build();
        try (Machine m = Machine.create(c)) {
            assertThat(m.memory().regions()).extracting(GuestMemory.Region::guestPhys, GuestMemory.Region::size)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 2 * GIB),
                            org.assertj.core.groups.Tuple.tuple(RamLayout.HIGH_START, GIB));
            m.start();
            Outcome o = m.awaitOutcome(60, TimeUnit.SECONDS);
            String console = m.store().console();
            assertThat(o.status()).as("status; console:%n%s", console).isEqualTo((0x10 << 1) | 1);
            assertThat(console).isEqualTo("both sides of the hole hold their bytes\nthe hole reads as all ones\n");
            List<KvmExit> mmio = new java.util.ArrayList<>();
            m.store().scan(0, m.store().size(), e -> {
                if (e.exit() instanceof KvmExit.Mmio x) {
                    mmio.add(x);
                }
            });
            assertThat(mmio).singleElement().satisfies(x ->
                    assertThat(((KvmExit.Mmio) x).address()).isEqualTo(0x80000000L));

            // the host reads what the guest wrote, in both slots
            GuestMemory mem = m.memory();
            assertThat(mem.readLong(0x7FFFFFF8L)).isEqualTo(0x1122334455667788L);
            assertThat(mem.readLong(RamLayout.HIGH_START)).isEqualTo(0x99AABBCCDDEEFF00L);
            assertThat(mem.readLong(RamLayout.HIGH_START + GIB - 8)).isEqualTo(0x1122334455667788L);
            assertThatThrownBy(() -> mem.read(0x7FFFFFFCL, 8)).as("into the hole")
                    .isInstanceOf(GuestMemoryException.class);
            assertThatThrownBy(() -> mem.readByte(RamLayout.HIGH_START + GIB)).as("past the end")
                    .isInstanceOf(GuestMemoryException.class);
        }
    }

    @Test
    void readsAndWritesSpanAdjacentSlots() {
        try (GuestMemory mem = new GuestMemory(List.of(0x1000L, 0x1000L, 0x1000L), List.of(0L, 0x1000L, 0x3000L))) {
            byte[] bytes = new byte[32];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i + 1);
            }
            mem.write(0x1000 - 16, bytes);
            assertThat(mem.read(0x1000 - 16, 32)).isEqualTo(bytes);
            assertThat(mem.readLong(0x1000 - 4)).as("a word across the slots' edge")
                    .isEqualTo(java.nio.ByteBuffer.wrap(bytes, 12, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
            assertThat(mem.contiguousFrom(0x800)).isEqualTo(0x1800);
            assertThat(mem.contains(0x1800, 0x1000)).as("runs into the gap at 0x2000").isFalse();
            assertThatThrownBy(() -> mem.fill(0x1F00, 0x200, (byte) 0)).isInstanceOf(GuestMemoryException.class);
            mem.writeLong(0x3000, 42);
            assertThat(mem.readLong(0x3000)).isEqualTo(42);
        }
    }

    @Test
    void twoGigabytesRunAsOneSlot() {
        GuestRun r = GuestRun.sample("hello", b -> b.memory(2 * GIB));
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
        assertThat(r.console()).contains("Hello");
    }

    @Test
    void aMultibootKernelReadsTheRemappedRamInItsMemoryMap() {
        GuestRun r = GuestRun.sample("mbkernel", b -> b.memory(3 * GIB));
        assertThat(r.outcome().status()).as("console:%n%s", r.console()).isEqualTo((0x10 << 1) | 1);
        assertThat(r.console()).contains("mmap base=0x0000000100000000 len=0x0000000040000000 type=1\n")
                // all RAM from 1 MiB to the PCI hole but the loader's 28 KiB; QEMU 7.2 q35 (-m 3G -kernel) gives 2095996 KiB
                .contains("mem_upper=2096100KiB");
    }
}
