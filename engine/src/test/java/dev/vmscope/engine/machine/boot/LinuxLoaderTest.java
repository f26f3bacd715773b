package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Loader;
import dev.vmscope.engine.testing.GuestRun;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The zero page, e820 map and entry registers against the boot protocol, byte by byte: on a bzImage made
 * here, and on a real kernel when there is one (VMSCOPE_LINUX_KERNEL, else /boot/vmlinuz-*).
 */
class LinuxLoaderTest {
    private static final long MEM = 128L << 20;

    /** The smallest bzImage the protocol allows: setup header, 4 setup sectors, a 64-bit entry at +0x200. */
    static byte[] fakeBzImage() {
        ByteBuffer b = ByteBuffer.allocate(5 * 512 + 0x1000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1F1, (byte) 4);                      // setup_sects
        b.putShort(0x1FE, (short) 0xAA55);
        b.put(0x200, (byte) 0xEB).put(0x201, (byte) 0x66);   // jump over a header that ends at 0x268
        b.put(0x202, (byte) 'H').put(0x203, (byte) 'd').put(0x204, (byte) 'r').put(0x205, (byte) 'S');
        b.putShort(0x206, (short) 0x020F);           // protocol 2.15
        b.put(0x211, (byte) 0x01);                   // LOADED_HIGH
        b.putInt(0x22C, 0x7FFFFFFF);                 // initrd_addr_max
        b.putShort(0x236, (short) 0x0003);           // XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G
        b.putInt(0x238, 2047);                       // cmdline_size
        b.put(0x260 - 0x10, (byte) 0x42);            // a header byte to see copied
        return b.array();
    }

    static void assertZeroPage(byte[] image, GuestMemory mem, BootPlan plan, String cmdline, byte[] initrd) {
        long zp = LinuxLoader.ZERO_PAGE;
        int headerEnd = 0x202 + (image[0x201] & 0xFF);
        byte[] header = mem.read(zp + 0x1F1, headerEnd - 0x1F1);
        for (int i = 0; i < header.length; i++) {
            int off = 0x1F1 + i;
            if (off == LinuxLoader.TYPE_OF_LOADER || off == LinuxLoader.LOADFLAGS || (off >= 0x218 && off < 0x220)
                    || (off >= 0x224 && off < 0x22C)) {
                continue;   // the fields the loader fills in
            }
            assertThat(header[i]).as("setup header byte 0x%x copied from the image", off).isEqualTo(image[off]);
        }
        assertThat(mem.read(zp, 0x1E8)).as("boot_params before the e820 count is zero").containsOnly(0);
        assertThat(mem.readByte(zp + 0x210)).as("type_of_loader").isEqualTo(0xFF);
        assertThat(mem.readByte(zp + 0x211) & 0x81).as("LOADED_HIGH | CAN_USE_HEAP").isEqualTo(0x81);
        assertThat(mem.readInt(zp + 0x228)).as("cmd_line_ptr").isEqualTo((int) LinuxLoader.CMDLINE);
        byte[] cl = mem.read(LinuxLoader.CMDLINE, cmdline.length() + 1);
        assertThat(new String(cl, 0, cmdline.length(), StandardCharsets.US_ASCII)).isEqualTo(cmdline);
        assertThat(cl[cmdline.length()]).isZero();
        List<E820> map = E820.map(MEM, Loader.RESERVED_TOP);
        assertThat(mem.readByte(zp + 0x1E8)).as("e820_entries").isEqualTo(map.size());
        for (int i = 0; i < map.size(); i++) {
            long e = zp + 0x2D0 + 20L * i;
            assertThat(mem.readLong(e)).isEqualTo(map.get(i).base());
            assertThat(mem.readLong(e + 8)).isEqualTo(map.get(i).length());
            assertThat(mem.readInt(e + 16)).isEqualTo(map.get(i).type());
        }
        if (initrd != null) {
            long at = mem.readInt(zp + 0x218) & 0xFFFFFFFFL;
            assertThat(mem.readInt(zp + 0x21C)).isEqualTo(initrd.length);
            assertThat(at % 0x100000).isZero();
            assertThat(mem.read(at, initrd.length)).isEqualTo(initrd);
        }
        int setupSects = image[0x1F1] == 0 ? 4 : image[0x1F1] & 0xFF;
        int kernelOffset = (setupSects + 1) * 512;
        assertThat(mem.read(LinuxLoader.KERNEL_LOAD, 512)).as("protected-mode kernel at 1 MiB")
                .isEqualTo(java.util.Arrays.copyOfRange(image, kernelOffset, kernelOffset + 512));
        assertThat(plan.entry()).as("64-bit entry = load + 0x200").isEqualTo(LinuxLoader.KERNEL_LOAD + 0x200);
        assertThat(plan.rsi()).as("RSI = zero page").isEqualTo(zp);
        assertThat(plan.mode()).isEqualTo(dev.vmscope.engine.config.CpuMode.LONG);
    }

    @Test
    void zeroPageOfAHandMadeBzImage() {
        byte[] image = fakeBzImage();
        assertThat(BootProtocol.detect(image)).isEqualTo(BootProtocol.LINUX);
        byte[] initrd = "initrd!".getBytes(StandardCharsets.US_ASCII);
        try (GuestMemory mem = new GuestMemory(MEM)) {
            BootPlan plan = LinuxLoader.plan(image, mem, Loader.RESERVED_TOP, "console=ttyS0", initrd);
            assertZeroPage(image, mem, plan, "console=ttyS0", initrd);
            assertThat(mem.readByte(LinuxLoader.ZERO_PAGE + 0x250)).isEqualTo(0x42);
        }
    }

    @Test
    void refusesKernelsWithoutA64BitEntryOrTooOld() {
        byte[] old = fakeBzImage();
        old[0x206] = 0x0B;
        try (GuestMemory mem = new GuestMemory(MEM)) {
            assertThatThrownBy(() -> LinuxLoader.plan(old, mem, Loader.RESERVED_TOP, "", null))
                    .hasMessageContaining("older than 2.12");
            byte[] no64 = fakeBzImage();
            no64[0x236] = 0;
            assertThatThrownBy(() -> LinuxLoader.plan(no64, mem, Loader.RESERVED_TOP, "", null))
                    .hasMessageContaining("no 64-bit entry point");
        }
    }

    /** The real kernel to check against, or a skip with the reason. */
    static Path realKernel() throws IOException {
        String env = System.getenv("VMSCOPE_LINUX_KERNEL");
        if (env != null && Files.isRegularFile(Path.of(env))) {
            return Path.of(env);
        }
        Path boot = Path.of("/boot");
        if (Files.isDirectory(boot)) {
            try (Stream<Path> s = Files.list(boot)) {
                var k = s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-")).sorted().findFirst();
                if (k.isPresent() && Files.isReadable(k.get())) {
                    return k.get();
                }
            }
        }
        Assumptions.abort("no Linux kernel to check against: set VMSCOPE_LINUX_KERNEL or install one in /boot"
                + " (.ci/run fetches Debian's cloud kernel)");
        return null;
    }

    @Test
    void zeroPageOfARealKernel() throws IOException {
        byte[] image = Files.readAllBytes(realKernel());
        assertThat(BootProtocol.detect(image)).isEqualTo(BootProtocol.LINUX);
        try (GuestMemory mem = new GuestMemory(MEM)) {
            BootPlan plan = LinuxLoader.plan(image, mem, Loader.RESERVED_TOP, "console=ttyS0 earlyprintk=serial", null);
            assertZeroPage(image, mem, plan, "console=ttyS0 earlyprintk=serial", null);
        }
    }

    /**
     * A real bzImage starts and its first exits are captured. On PVM hosts the decompressor is emulated
     * instruction by instruction (about a minute before the first exit), so this stops after a few exits:
     * the kernel's own early serial setup (LCR, IER, FCR, MCR on 0x3F8–0x3FF), from code in the loaded kernel.
     */
    @Test
    void aRealKernelRunsAndItsFirstExitsAreTheKernels() throws IOException {
        Path kernel = realKernel();
        GuestRun r = GuestRun.run(GuestSpec.forImage("linux", Files.readAllBytes(kernel))
                .cmdline("console=ttyS0 earlyprintk=serial").maxExits(6).build(), 600);
        assertThat(r.exits()).hasSize(6);
        for (ExitRecord e : r.exits()) {
            assertThat(e.reason()).isEqualTo(KvmExitReason.IO);
            assertThat(((KvmExit.Io) e.exit()).port()).isBetween(0x3F8, 0x3FF);
            assertThat(e.state().longMode()).isTrue();
            assertThat(e.state().rip()).as("inside the loaded kernel").isBetween(LinuxLoader.KERNEL_LOAD, MEM);
        }
    }
}
