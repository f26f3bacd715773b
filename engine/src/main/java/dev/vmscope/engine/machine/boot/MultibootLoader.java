package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.CpuMode;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Multiboot v1: finds the header in the first 8 KiB, loads the kernel (by the header's address fields or as
 * ELF), writes the multiboot information (memory sizes, memory map, command line, one module for an initrd)
 * below 640 KiB and enters in 32-bit protected mode with EAX = 0x2BADB002, EBX = the information's address.
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOT_MAGIC = 0x2BADB002;
    /** Where the information structure and what it points to live (inside low RAM, below the EBDA). */
    static final long INFO = 0x9000;
    static final long MMAP = 0x9100;
    static final long CMDLINE = 0x9400;
    static final long MODS = 0x9C00;
    private static final int MAX_CMDLINE = 0x800;

    private static final int MB_INFO_MEMORY = 1;
    private static final int MB_INFO_CMDLINE = 1 << 2;
    private static final int MB_INFO_MODS = 1 << 3;
    private static final int MB_INFO_MMAP = 1 << 6;
    private static final int MB_FLAG_ADDRESSES = 1 << 16;

    private MultibootLoader() {
    }

    /** Offset of a valid header (magic, flags, checksum summing to 0) in the first 8 KiB, or -1. */
    public static int findHeader(byte[] f) {
        ByteBuffer b = BootProtocol.le(f);
        for (int off = 0; off + 12 <= Math.min(f.length, 8192); off += 4) {
            if (b.getInt(off) == HEADER_MAGIC && b.getInt(off) + b.getInt(off + 4) + b.getInt(off + 8) == 0) {
                return off;
            }
        }
        return -1;
    }

    public static BootPlan plan(byte[] f, GuestMemory mem, long reservedTop, String cmdline, byte[] initrd) {
        int h = findHeader(f);
        if (h < 0) {
            throw new ImageFormatException("no multiboot header in the first 8 KiB");
        }
        long limit = mem.size() - reservedTop;
        ByteBuffer b = BootProtocol.le(f);
        int flags = b.getInt(h + 4);
        long entry;
        long end;
        String how;
        if ((flags & MB_FLAG_ADDRESSES) != 0) {
            if (h + 32 > f.length) {
                throw new ImageFormatException("multiboot header truncated");
            }
            long headerAddr = u32(b, h + 12);
            long loadAddr = u32(b, h + 16);
            long loadEnd = u32(b, h + 20);
            long bssEnd = u32(b, h + 24);
            entry = u32(b, h + 28);
            long fileStart = h - (headerAddr - loadAddr);
            long size = loadEnd == 0 ? f.length - fileStart : loadEnd - loadAddr;
            if (headerAddr < loadAddr || fileStart < 0 || size < 0 || fileStart + size > f.length) {
                throw new ImageFormatException("multiboot address fields point outside the file");
            }
            end = Math.max(loadAddr + size, bssEnd);
            if (loadAddr < 0x100000 && loadAddr + size > INFO || end > limit) {
                throw new ImageFormatException(String.format("multiboot kernel (0x%x-0x%x) does not fit in guest RAM"
                        + " (0x%x usable)", loadAddr, end, limit));
            }
            mem.write(loadAddr, f, (int) fileStart, (int) size);
            if (bssEnd > loadAddr + size) {
                mem.fill(loadAddr + size, bssEnd - (loadAddr + size), (byte) 0);
            }
            how = "address fields";
        } else {
            ElfLoader.Loaded l = ElfLoader.load(f, mem, limit);
            if (l.is64()) {
                throw new ImageFormatException("a multiboot v1 kernel must be a 32-bit ELF (entry is in protected mode)");
            }
            entry = l.entry();
            end = l.end();
            how = "ELF";
        }
        writeInfo(mem, reservedTop, cmdline, initrd, end);
        return new BootPlan(CpuMode.PROTECTED, entry, BOOT_MAGIC, INFO, 0, String.format(
                "multiboot kernel (%s), entry 0x%x, info at 0x%x%s", how, entry, INFO,
                initrd != null ? ", initrd as module" : ""));
    }

    private static void writeInfo(GuestMemory mem, long reservedTop, String cmdline, byte[] initrd, long kernelEnd) {
        mem.fill(INFO, 0x1000, (byte) 0);
        int flags = MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MMAP;
        mem.writeInt(INFO + 4, 639);                                                  // mem_lower (KiB)
        mem.writeInt(INFO + 8, (int) ((mem.size() - reservedTop - 0x100000) / 1024)); // mem_upper (KiB above 1 MiB)
        byte[] cl = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.UTF_8);
        if (cl.length >= MAX_CMDLINE) {
            throw new ImageFormatException("command line longer than " + (MAX_CMDLINE - 1) + " bytes");
        }
        mem.write(CMDLINE, cl);
        mem.writeByte(CMDLINE + cl.length, 0);
        mem.writeInt(INFO + 16, (int) CMDLINE);
        List<E820> map = E820.map(mem.size(), reservedTop);
        long at = MMAP;
        for (E820 e : map) {
            mem.writeInt(at, 20);          // size of the rest of the entry
            mem.writeLong(at + 4, e.base());
            mem.writeLong(at + 12, e.length());
            mem.writeInt(at + 20, e.type());
            at += 24;
        }
        mem.writeInt(INFO + 44, (int) (at - MMAP));   // mmap_length
        mem.writeInt(INFO + 48, (int) MMAP);          // mmap_addr
        if (initrd != null) {
            long start = (kernelEnd + 0xFFF) & ~0xFFFL;
            if (start + initrd.length > mem.size() - reservedTop) {
                throw new ImageFormatException("initrd does not fit in guest RAM after the kernel");
            }
            mem.write(start, initrd);
            mem.writeInt(MODS, (int) start);
            mem.writeInt(MODS + 4, (int) (start + initrd.length));
            mem.writeInt(MODS + 8, (int) CMDLINE);
            mem.writeInt(INFO + 20, 1);              // mods_count
            mem.writeInt(INFO + 24, (int) MODS);     // mods_addr
            flags |= MB_INFO_MODS;
        }
        mem.writeInt(INFO, flags);
    }

    private static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xFFFFFFFFL;
    }
}
