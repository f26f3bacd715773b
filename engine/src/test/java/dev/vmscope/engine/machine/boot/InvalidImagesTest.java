package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.Loader;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Files that claim a format but break its rules are refused with one line naming the field, before they run. */
class InvalidImagesTest {
    private static final long MEM = 128L << 20;

    private static void refused(byte[] image, String... words) {
        try (GuestMemory mem = new GuestMemory(MEM)) {
            BootProtocol p = BootProtocol.detect(image);
            assertThatThrownBy(() -> {
                switch (p) {
                    case LINUX -> LinuxLoader.plan(image, mem, Loader.RESERVED_TOP, "", null);
                    case MULTIBOOT -> MultibootLoader.plan(image, mem, Loader.RESERVED_TOP, "k", "", null);
                    case ELF -> ElfLoader.plan(image, mem, MEM - Loader.RESERVED_TOP);
                    case FLAT -> throw new AssertionError("detected as a flat image");
                }
            }).isInstanceOf(ImageFormatException.class).satisfies(e -> {
                assertThat(e.getMessage()).contains(words).doesNotContain("\n");
            });
        }
    }

    @Test
    void aBzImageCutInsideItsSetupOrBeforeSyssizeIsRefused() {
        byte[] whole = LinuxLoaderTest.fakeBzImage();
        refused(Arrays.copyOf(whole, 0x240), "bzImage truncated", "setup header");
        refused(Arrays.copyOf(whole, 3 * 512), "bzImage truncated", "setup_sects=4");
        ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).putInt(LinuxLoader.SYSSIZE, 0x1000 / 16 + 1);
        refused(whole, "bzImage truncated", "syssize");
    }

    @Test
    void elfFilesMustBeExecutablesWhoseEntryIsLoaded() {
        byte[] rel = ElfLoaderTest.elf(false, 0x300000, 0x300000, ElfLoaderTest.CODE);
        ByteBuffer.wrap(rel).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 1);
        refused(rel, "e_type 1", "ET_REL");
        byte[] entry = ElfLoaderTest.elf(true, 0x300000, 0x300000, ElfLoaderTest.CODE);
        ByteBuffer.wrap(entry).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 0x400000);
        refused(entry, "e_entry 0x400000", "outside every loadable segment");
    }

    private static byte[] multiboot(int flags, int checksum) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(16, MultibootLoader.HEADER_MAGIC)
                .putInt(20, flags).putInt(24, checksum).array();
    }

    @Test
    void multibootHeadersWithABadChecksumOrUnmetRequirementsAreRefused() {
        refused(multiboot(0, 0), "checksum 0x00000000", "0xe4524ffe");
        refused(multiboot(4, -(MultibootLoader.HEADER_MAGIC + 4)), "flags 0x00000004", "video mode");
        refused(multiboot(0x100, -(MultibootLoader.HEADER_MAGIC + 0x100)), "bits 0x0100");
    }

    @Test
    void multibootEntryOutsideTheLoadedKernelIsRefused() {
        int flags = 1 << 16;
        byte[] f = ByteBuffer.allocate(0x100).order(ByteOrder.LITTLE_ENDIAN).putInt(0, MultibootLoader.HEADER_MAGIC)
                .putInt(4, flags).putInt(8, -(MultibootLoader.HEADER_MAGIC + flags))
                .putInt(12, 0x100000).putInt(16, 0x100000).putInt(20, 0).putInt(24, 0).putInt(28, 0x200000).array();
        refused(f, "entry_addr 0x200000", "outside the loaded kernel");
    }
}
