package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.TestKernels;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the multiboot information goes and what it says, on real kernels: one that occupies 0x8000-0xE000 (QEMU's
 * information address 0x9000 lies inside it) checks every byte of itself and prints its argv; a 64-bit ELF with a
 * multiboot header boots in long mode, or in protected mode as GRUB does when the multiboot loader is forced.
 */
class MultibootPlacementTest {
    private static final int SUCCESS = (0x10 << 1) | 1;

    @Test
    void informationGoesWhereTheKernelIsNotAndArgvStartsWithTheKernelsName() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("lowkernel.bin", TestKernels.image("lowkernel"))
                .cmdline("  -v  --count=3 last").build());
        String console = r.console();
        assertThat(r.outcome().status()).as("status; console:%n%s", console).isEqualTo(SUCCESS);
        assertThat(console).startsWith("image intact\n");
        Matcher m = Pattern.compile("info=0x([0-9a-f]{8})\n").matcher(console);
        assertThat(m.find()).isTrue();
        long info = Long.parseLong(m.group(1), 16);
        assertThat(info >= 0xE000 || info + 0x100 <= 0x8000).as("information at 0x%x, outside the kernel's"
                + " 0x8000-0xE000", info).isTrue();
        assertThat(console).endsWith("argv[0]=lowkernel.bin\nargv[1]=-v\nargv[2]=--count=3\nargv[3]=last\n");
        assertThat(r.store().machine().mode()).as("the mode a trace records: the loader's").isEqualTo("protected");
    }

    @Test
    void withoutArgumentsTheCommandLineIsTheKernelsName() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("lowkernel.bin", TestKernels.image("lowkernel")).build());
        assertThat(r.console()).endsWith("argv[0]=lowkernel.bin\n");
    }

    /** A 64-bit ELF whose code starts with a multiboot header (flags 0), code that runs in 32- and 64-bit mode. */
    static byte[] elf64WithMultibootHeader() {
        ByteBuffer h = ByteBuffer.allocate(12 + ElfLoaderTest.CODE.length).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MultibootLoader.HEADER_MAGIC).putInt(0).putInt(-MultibootLoader.HEADER_MAGIC).put(ElfLoaderTest.CODE);
        byte[] elf = ElfLoaderTest.elf(true, 0x200000, 0x200000, h.array());
        ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 0x200000 + 12);
        return elf;
    }

    @Test
    void a64BitElfWithAMultibootHeaderBootsInLongMode() {
        byte[] kernel = elf64WithMultibootHeader();
        assertThat(BootProtocol.detect(kernel)).isEqualTo(BootProtocol.ELF);
        GuestRun r = GuestRun.run(GuestSpec.forImage("mb64", kernel).build());
        assertThat(r.console()).isEqualTo("E");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.last().state().segment(Segment.CS).l()).as("64-bit code").isTrue();
        assertThat(r.store().machine().mode()).isEqualTo("long");
    }

    @Test
    void forcedThroughTheMultibootLoaderItStartsIn32BitProtectedModeAsGrubDoes() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("mb64", elf64WithMultibootHeader())
                .loader(BootProtocol.MULTIBOOT).build());
        assertThat(r.console()).isEqualTo("E");
        assertThat(r.last().state().codeBits()).isEqualTo(32);
        assertThat(r.last().state().rbx()).as("EBX = the information").isEqualTo(MultibootLoader.INFO);
    }
}
