package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.config.CpuMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Multiboot v1: finds the header in the first 8 KiB, loads the kernel (by the header's address fields or as
 * ELF), writes the multiboot information (memory sizes, memory map, command line, one module for an initrd)
 * where no byte of the kernel or its module lies, and enters in 32-bit protected mode with EAX = 0x2BADB002,
 * EBX = the information's address.
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOT_MAGIC = 0x2BADB002;
    /** Where the information goes when that is free: QEMU's address (its multiboot.c MULTIBOOT_STRUCT_ADDR). */
    public static final long INFO = 0x9000;
    private static final int MAX_CMDLINE = 0x800;
    /** Space for the information structure itself (Multiboot 0.6.96 defines 0x74 bytes of it). */
    private static final int INFO_SIZE = 0x80;
    private static final int MMAP_ENTRY = 24;
    private static final int MODULE_ENTRY = 16;

    private static final int MB_INFO_MEMORY = 1;
    private static final int MB_INFO_CMDLINE = 1 << 2;
    private static final int MB_INFO_MODS = 1 << 3;
    private static final int MB_INFO_MMAP = 1 << 6;
    /** Header flag bits 0-15 are requirements a loader must fail on if it cannot meet them. */
    private static final int MB_FLAG_PAGE_ALIGN = 1;
    private static final int MB_FLAG_MEMORY_INFO = 1 << 1;
    private static final int MB_FLAG_VIDEO_MODE = 1 << 2;
    private static final int MB_FLAG_ADDRESSES = 1 << 16;
    private static final int HONOURED = MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY_INFO;

    private MultibootLoader() {
    }

    /** Offset of the header magic in the first 8 KiB (4-byte aligned, checksum not yet checked), or -1. */
    public static int findHeader(byte[] f) {
        ByteBuffer b = BootProtocol.le(f);
        for (int off = 0; off + 12 <= Math.min(f.length, 8192); off += 4) {
            if (b.getInt(off) == HEADER_MAGIC) {
                return off;
            }
        }
        return -1;
    }

    /** The header's flags after checking its checksum and that every required bit is one vmscope honours. */
    static int checkedFlags(ByteBuffer b, int h) {
        int flags = b.getInt(h + 4);
        int checksum = b.getInt(h + 8);
        if (HEADER_MAGIC + flags + checksum != 0) {
            throw new ImageFormatException(String.format("multiboot header at offset 0x%x: checksum 0x%08x does not"
                    + " make magic + flags + checksum zero (it should be 0x%08x)", h, checksum, -(HEADER_MAGIC + flags)));
        }
        int unmet = flags & 0xFFFF & ~HONOURED;
        if (unmet != 0) {
            throw new ImageFormatException(String.format("multiboot header flags 0x%08x require %s, which vmscope does"
                    + " not provide", flags, (unmet & MB_FLAG_VIDEO_MODE) != 0 ? "a video mode (bit 2)"
                    : String.format("bits 0x%04x the specification leaves undefined", unmet)));
        }
        return flags;
    }

    public static BootPlan plan(byte[] f, GuestMemory mem, long reservedTop, String kernelName, String cmdline,
                                byte[] initrd) {
        int h = findHeader(f);
        if (h < 0) {
            throw new ImageFormatException("no multiboot header (magic 0x1BADB002) in the first 8 KiB");
        }
        long limit = RamLayout.reservedBase(mem.size(), reservedTop);
        ByteBuffer b = BootProtocol.le(f);
        int flags = checkedFlags(b, h);
        long entry;
        List<Span> used = new ArrayList<>();
        String how;
        if ((flags & MB_FLAG_ADDRESSES) != 0) {
            if (h + 32 > f.length) {
                throw new ImageFormatException("multiboot header truncated: its address fields lie past the end of the file");
            }
            long headerAddr = u32(b, h + 12);
            long loadAddr = u32(b, h + 16);
            long loadEnd = u32(b, h + 20);
            long bssEnd = u32(b, h + 24);
            entry = u32(b, h + 28);
            long fileStart = h - (headerAddr - loadAddr);
            long size = loadEnd == 0 ? f.length - fileStart : loadEnd - loadAddr;
            if (headerAddr < loadAddr || fileStart < 0 || size < 0 || fileStart + size > f.length) {
                throw new ImageFormatException("multiboot header_addr/load_addr/load_end_addr point outside the file");
            }
            long end = Math.max(loadAddr + size, bssEnd);
            if (end > limit) {
                throw new ImageFormatException(String.format("multiboot kernel (0x%x-0x%x) does not fit in guest RAM"
                        + " (0x%x usable)", loadAddr, end, limit));
            }
            if (entry < loadAddr || entry >= end) {
                throw new ImageFormatException(String.format("multiboot entry_addr 0x%x lies outside the loaded kernel"
                        + " (0x%x-0x%x)", entry, loadAddr, end));
            }
            mem.write(loadAddr, f, (int) fileStart, (int) size);
            if (bssEnd > loadAddr + size) {
                mem.fill(loadAddr + size, bssEnd - (loadAddr + size), (byte) 0);
            }
            used.add(new Span(loadAddr, end));
            how = "address fields";
        } else {
            ElfLoader.Loaded l = ElfLoader.load(f, mem, limit);
            if (l.entry() > 0xFFFFFFFFL) {
                throw new ImageFormatException(String.format("ELF entry 0x%x is above 4 GiB: a multiboot kernel starts"
                        + " in 32-bit protected mode", l.entry()));
            }
            entry = l.entry();
            used.addAll(l.segments());
            how = l.is64() ? "64-bit ELF, entered in 32-bit protected mode as GRUB does" : "ELF";
        }
        long info = writeInfo(mem, reservedTop, kernelName, cmdline, initrd, used);
        return new BootPlan(CpuMode.PROTECTED, entry, BOOT_MAGIC, info, 0, String.format(
                "multiboot kernel (%s), entry 0x%x, info at 0x%x%s", how, entry, info,
                initrd != null ? ", initrd as module" : ""));
    }

    /**
     * Builds the information block (structure, memory map, module list, command line) and writes it where it
     * overlaps nothing in {@code used}; returns its address.
     */
    private static long writeInfo(GuestMemory mem, long reservedTop, String kernelName, String cmdline,
                                  byte[] initrd, List<Span> used) {
        long limit = RamLayout.reservedBase(mem.size(), reservedTop);
        // the module: page aligned (header bit 0 may ask for it; always doing it is allowed) after the kernel
        long modStart = 0;
        if (initrd != null) {
            long kernelEnd = used.stream().mapToLong(Span::end).max().orElse(0x100000);
            modStart = Span.alignUp(Math.max(kernelEnd, 0x100000), 0x1000);
            if (modStart + initrd.length > limit) {
                throw new ImageFormatException("initrd does not fit in guest RAM after the kernel");
            }
            mem.write(modStart, initrd);
            used.add(new Span(modStart, modStart + initrd.length));
        }
        // as GRUB and QEMU do, the command line starts with the kernel's own name (argv[0])
        String line = cmdline == null || cmdline.isEmpty() ? kernelName : kernelName + " " + cmdline;
        byte[] cl = line.getBytes(StandardCharsets.UTF_8);
        if (cl.length >= MAX_CMDLINE) {
            throw new ImageFormatException("command line longer than " + (MAX_CMDLINE - 1) + " bytes");
        }
        List<E820> map = E820.map(mem.size(), reservedTop);
        int mmap = INFO_SIZE;
        int mods = mmap + map.size() * MMAP_ENTRY;
        int text = mods + (initrd != null ? MODULE_ENTRY : 0);
        int size = text + cl.length + 1;

        long lowRam = 0x9FC00;   // below the EBDA
        long at = Span.firstFree(size, 16, used, List.of(new Span(INFO, lowRam), new Span(0x1000, INFO),
                new Span(0x100000, limit)));
        if (at < 0) {
            throw new ImageFormatException("no room for the multiboot information (" + size + " bytes) outside the"
                    + " kernel and its module");
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        int flags = MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MMAP;
        b.putInt(4, 639);                                                   // mem_lower (KiB)
        b.putInt(8, (int) ((limit - 0x100000) / 1024));                     // mem_upper (KiB above 1 MiB)
        b.putInt(16, (int) (at + text));                                    // cmdline
        b.putInt(44, map.size() * MMAP_ENTRY);                              // mmap_length
        b.putInt(48, (int) (at + mmap));                                    // mmap_addr
        int e = mmap;
        for (E820 r : map) {
            b.putInt(e, MMAP_ENTRY - 4);   // size of the rest of the entry
            b.putLong(e + 4, r.base());
            b.putLong(e + 12, r.length());
            b.putInt(e + 20, r.type());
            e += MMAP_ENTRY;
        }
        if (initrd != null) {
            b.putInt(mods, (int) modStart);
            b.putInt(mods + 4, (int) (modStart + initrd.length));
            b.putInt(mods + 8, (int) (at + size - 1));   // the module's string: empty
            b.putInt(20, 1);                             // mods_count
            b.putInt(24, (int) (at + mods));             // mods_addr
            flags |= MB_INFO_MODS;
        }
        b.putInt(0, flags);
        b.put(text, cl);
        mem.write(at, b.array());
        return at;
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }
}
