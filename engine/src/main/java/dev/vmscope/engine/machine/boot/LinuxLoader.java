package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.config.CpuMode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The Linux x86 boot protocol (Documentation/arch/x86/boot.rst), 64-bit entry: the protected-mode kernel
 * goes to 1 MiB, a zero page (struct boot_params) carries the setup header, the e820 map, the command line
 * and the initrd, and the kernel starts at load + 0x200 in long mode with RSI pointing at the zero page.
 */
public final class LinuxLoader {
    public static final long ZERO_PAGE = 0x7000;
    public static final long CMDLINE = 0x20000;
    public static final long KERNEL_LOAD = 0x100000;

    // offsets in the zero page / setup header
    static final int SETUP_SECTS = 0x1F1;
    static final int SYSSIZE = 0x1F4;
    static final int BOOT_FLAG = 0x1FE;
    static final int HEADER = 0x202;
    static final int VERSION = 0x206;
    static final int TYPE_OF_LOADER = 0x210;
    static final int LOADFLAGS = 0x211;
    static final int RAMDISK_IMAGE = 0x218;
    static final int RAMDISK_SIZE = 0x21C;
    static final int HEAP_END_PTR = 0x224;
    static final int CMD_LINE_PTR = 0x228;
    static final int INITRD_ADDR_MAX = 0x22C;
    static final int CMDLINE_SIZE = 0x238;
    static final int XLOADFLAGS = 0x236;
    static final int E820_ENTRIES = 0x1E8;
    static final int E820_TABLE = 0x2D0;
    /** End of the setup header fields this loader reads (protocol 2.12's last field ends at 0x264). */
    static final int SETUP_HEADER_END = 0x264;

    private static final int LOADED_HIGH = 0x01;
    private static final int CAN_USE_HEAP = 0x80;
    private static final int XLF_KERNEL_64 = 0x01;

    private LinuxLoader() {
    }

    public static boolean isBzImage(byte[] f) {
        return f.length >= HEADER + 4 && (f[BOOT_FLAG] & 0xFF) == 0x55 && (f[BOOT_FLAG + 1] & 0xFF) == 0xAA
                && f[HEADER] == 'H' && f[HEADER + 1] == 'd' && f[HEADER + 2] == 'r' && f[HEADER + 3] == 'S';
    }

    public static BootPlan plan(byte[] f, GuestMemory mem, long reservedTop, String cmdline, byte[] initrd) {
        if (!isBzImage(f)) {
            throw new ImageFormatException("not a bzImage (no 0xAA55 boot flag and HdrS header)");
        }
        if (f.length < SETUP_HEADER_END) {
            throw new ImageFormatException(String.format("bzImage truncated: the file ends at %d bytes, inside its setup"
                    + " header (which runs to 0x%x)", f.length, SETUP_HEADER_END));
        }
        ByteBuffer b = BootProtocol.le(f);
        int version = b.getShort(VERSION) & 0xFFFF;
        if (version < 0x020C) {
            throw new ImageFormatException(String.format("boot protocol %d.%02d is older than 2.12 (no 64-bit entry)",
                    version >> 8, version & 0xFF));
        }
        if ((b.getShort(XLOADFLAGS) & XLF_KERNEL_64) == 0) {
            throw new ImageFormatException("this kernel has no 64-bit entry point (XLF_KERNEL_64 clear)");
        }
        int setupSects = f[SETUP_SECTS] & 0xFF;
        if (setupSects == 0) {
            setupSects = 4;
        }
        long kernelOffset = (setupSects + 1L) * 512;
        if (f.length <= kernelOffset) {
            throw new ImageFormatException(String.format("bzImage truncated: setup_sects=%d puts the kernel at offset"
                    + " %d, but the file has only %d bytes", setupSects, kernelOffset, f.length));
        }
        long kernelSize = f.length - kernelOffset;
        long syssize = (b.getInt(SYSSIZE) & 0xFFFFFFFFL) * 16;   // in 16-byte paragraphs (protocol >= 2.04)
        if (syssize > kernelSize) {
            throw new ImageFormatException(String.format("bzImage truncated: syssize says the kernel is %d bytes, the"
                    + " file has %d after the setup", syssize, kernelSize));
        }
        long limit = RamLayout.reservedBase(mem.size(), reservedTop);
        if (KERNEL_LOAD + kernelSize > limit) {
            throw new ImageFormatException(String.format("the kernel (%d bytes) does not fit in guest RAM above 1 MiB"
                    + " (0x%x usable); give the guest more memory (--mem)", kernelSize, limit));
        }
        mem.write(KERNEL_LOAD, f, (int) kernelOffset, (int) kernelSize);

        // the zero page starts as zeros plus the setup header copied from the image
        mem.fill(ZERO_PAGE, 0x1000, (byte) 0);
        int headerEnd = Math.min(HEADER + (f[0x201] & 0xFF), 0x1000);
        mem.write(ZERO_PAGE + SETUP_SECTS, f, SETUP_SECTS, headerEnd - SETUP_SECTS);
        mem.writeByte(ZERO_PAGE + TYPE_OF_LOADER, 0xFF);   // "undefined" boot loader
        mem.writeByte(ZERO_PAGE + LOADFLAGS, (f[LOADFLAGS] & 0xFF) | LOADED_HIGH | CAN_USE_HEAP);
        mem.writeShort(ZERO_PAGE + HEAP_END_PTR, (short) 0xFE00);

        byte[] cl = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.UTF_8);
        long maxCmdline = version >= 0x0206 ? b.getInt(CMDLINE_SIZE) & 0xFFFFFFFFL : 255;
        if (cl.length > maxCmdline) {
            throw new ImageFormatException("command line longer than the kernel accepts (" + maxCmdline + " bytes)");
        }
        mem.write(CMDLINE, cl);
        mem.writeByte(CMDLINE + cl.length, 0);
        mem.writeInt(ZERO_PAGE + CMD_LINE_PTR, (int) CMDLINE);

        if (initrd != null) {
            long max = Math.min(b.getInt(INITRD_ADDR_MAX) & 0xFFFFFFFFL, limit - 1);
            long at = ((max + 1 - initrd.length) & ~0xFFFFFL);   // as high as allowed, 1 MiB aligned
            if (at < KERNEL_LOAD + kernelSize) {
                throw new ImageFormatException("the initrd does not fit between the kernel and the top of guest RAM");
            }
            mem.write(at, initrd);
            mem.writeInt(ZERO_PAGE + RAMDISK_IMAGE, (int) at);
            mem.writeInt(ZERO_PAGE + RAMDISK_SIZE, initrd.length);
        }

        List<E820> map = E820.map(mem.size(), reservedTop);
        mem.writeByte(ZERO_PAGE + E820_ENTRIES, map.size());
        long at = ZERO_PAGE + E820_TABLE;
        for (E820 e : map) {
            mem.writeLong(at, e.base());
            mem.writeLong(at + 8, e.length());
            mem.writeInt(at + 16, e.type());
            at += 20;
        }
        long entry = KERNEL_LOAD + 0x200;
        return new BootPlan(CpuMode.LONG, entry, 0, 0, ZERO_PAGE, String.format(
                "Linux bzImage, boot protocol %d.%02d, %d KiB kernel at 0x%x, 64-bit entry 0x%x, zero page 0x%x%s",
                version >> 8, version & 0xFF, kernelSize / 1024, KERNEL_LOAD, entry, ZERO_PAGE,
                initrd != null ? ", initrd " + initrd.length / 1024 + " KiB" : ""));
    }
}
