package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Loader;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A multiboot kernel given as an ELF (no address fields in its header), with a module (`--initrd`): the
 * information structure byte by byte against the Multiboot 0.6.96 layout, and a run in which the kernel
 * finds the module through EBX.
 */
class MultibootModuleTest {
    private static final long MEM = 16L << 20;
    private static final long LOAD = 0x200000;
    private static final byte[] MODULE = "Zmodule bytes".getBytes(StandardCharsets.US_ASCII);

    /** A 32-bit ELF whose code starts with a multiboot header (flags 0: the ELF says where to load). */
    static byte[] multibootElf(byte[] code) {
        ByteBuffer h = ByteBuffer.allocate(12 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MultibootLoader.HEADER_MAGIC).putInt(0).putInt(-MultibootLoader.HEADER_MAGIC).put(code);
        byte[] elf = ElfLoaderTest.elf(false, LOAD, LOAD, h.array());
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(24, (int) LOAD + 12);        // e_entry: just past the header
        return elf;
    }

    @Test
    void theInformationStructureDescribesMemoryCommandLineMapAndModule() {
        byte[] kernel = multibootElf(HexFormat.of().parseHex("F4"));
        assertThat(BootProtocol.detect(kernel)).isEqualTo(BootProtocol.MULTIBOOT);
        try (GuestMemory mem = new GuestMemory(MEM)) {
            BootPlan plan = MultibootLoader.plan(kernel, mem, Loader.RESERVED_TOP, "k.elf", "root=/dev/vda quiet", MODULE);
            assertThat(plan.entry()).isEqualTo(LOAD + 12);
            assertThat(plan.rax()).isEqualTo(MultibootLoader.BOOT_MAGIC);
            assertThat(plan.rbx()).isEqualTo(MultibootLoader.INFO);
            assertThat(plan.summary()).contains("ELF").contains("initrd as module");
            long info = MultibootLoader.INFO;
            assertThat(mem.readInt(info)).as("flags: MEMORY | CMDLINE | MODS | MMAP").isEqualTo(1 | 4 | 8 | 64);
            assertThat(mem.readInt(info + 4)).as("mem_lower KiB").isEqualTo(639);
            assertThat(mem.readInt(info + 8) & 0xFFFFFFFFL).as("mem_upper KiB")
                    .isEqualTo((MEM - Loader.RESERVED_TOP - 0x100000) / 1024);
            long cmdline = mem.readInt(info + 16) & 0xFFFFFFFFL;
            assertThat(new String(mem.read(cmdline, 25), StandardCharsets.US_ASCII)).as("argv[0] first").isEqualTo("k.elf root=/dev/vda quiet");
            assertThat(mem.readByte(cmdline + 25)).isZero();
            assertThat(mem.readInt(info + 20)).as("mods_count").isEqualTo(1);
            long mods = mem.readInt(info + 24) & 0xFFFFFFFFL;
            long start = mem.readInt(mods) & 0xFFFFFFFFL;
            long end = mem.readInt(mods + 4) & 0xFFFFFFFFL;
            assertThat(start % 0x1000).as("page-aligned").isZero();
            assertThat(start).as("after the kernel").isGreaterThan(LOAD);
            assertThat(end - start).isEqualTo(MODULE.length);
            assertThat(mem.read(start, MODULE.length)).isEqualTo(MODULE);
            List<E820> map = E820.map(MEM, Loader.RESERVED_TOP);
            assertThat(mem.readInt(info + 44)).as("mmap_length").isEqualTo(24 * map.size());
            long at = mem.readInt(info + 48) & 0xFFFFFFFFL;
            for (E820 e : map) {
                assertThat(mem.readInt(at)).as("entry size").isEqualTo(20);
                assertThat(mem.readLong(at + 4)).isEqualTo(e.base());
                assertThat(mem.readLong(at + 12)).isEqualTo(e.length());
                assertThat(mem.readInt(at + 20)).isEqualTo(e.type());
                at += 24;
            }
            assertThat(mem.read(LOAD + 12, 1)).as("the code, loaded where the ELF says").containsExactly(0xF4);
        }
    }

    @Test
    void theKernelReachesItsModuleThroughEbx() {
        KvmTests.requireKvm();
        // mov esi,[ebx+24] (mods_addr) ; mov esi,[esi] (mod_start) ; mov al,[esi] ; out 0xF4,al
        byte[] kernel = multibootElf(HexFormat.of().parseHex("8B73188B368A06E6F4"));
        GuestRun r = GuestRun.run(GuestSpec.forImage("mb-elf", kernel).initrd(MODULE).memory(MEM).build());
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).as("('Z' << 1) | 1: the module's first byte").isEqualTo(('Z' << 1) | 1);
        // at the exit: EAX still the multiboot magic but for AL (the module's byte), EBX the information structure
        assertThat(r.exits().get(0).state().rax() & 0xFFFFFFFFL).isEqualTo((MultibootLoader.BOOT_MAGIC & 0xFFFFFF00L) | 'Z');
        assertThat(r.exits().get(0).state().rbx()).isEqualTo(MultibootLoader.INFO);
    }
}
