package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.config.CpuMode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads an ELF executable's PT_LOAD segments at their physical addresses. Every offset and size comes from
 * the file, so each is checked against the file and against guest RAM before a byte is copied.
 */
public final class ElfLoader {
    private static final int PT_LOAD = 1;
    private static final int ET_EXEC = 2;
    private static final int ET_DYN = 3;

    private ElfLoader() {
    }

    /** The loaded image: its entry (physical), the highest physical address it occupies and every segment's bytes. */
    public record Loaded(boolean is64, long entry, long end, List<Span> segments) {
    }

    public static boolean isElf(byte[] f) {
        return f.length >= 4 && f[0] == 0x7F && f[1] == 'E' && f[2] == 'L' && f[3] == 'F';
    }

    /** True for an ELF file whose class says 64-bit (what the multiboot-header case turns on). */
    public static boolean is64(byte[] f) {
        return isElf(f) && f.length > 4 && f[4] == 2;
    }

    public static Loaded load(byte[] f, GuestMemory mem, long limit) {
        if (f.length < 52 || !isElf(f)) {
            throw new ImageFormatException("not an ELF file");
        }
        boolean is64 = f[4] == 2;
        if (f[4] != 1 && f[4] != 2) {
            throw new ImageFormatException("ELF class " + f[4] + " is neither 32- nor 64-bit");
        }
        if (f[5] != 1) {
            throw new ImageFormatException("big-endian ELF cannot run on x86");
        }
        ByteBuffer b = BootProtocol.le(f);
        int machine = b.getShort(18) & 0xFFFF;
        if (machine != 3 && machine != 62) {
            throw new ImageFormatException("ELF machine " + machine + " is not x86 (3) or x86-64 (62)");
        }
        if (is64 && f.length < 64) {
            throw new ImageFormatException("truncated ELF header");
        }
        int type = b.getShort(16) & 0xFFFF;
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ImageFormatException("ELF e_type " + type + (type == 1 ? " (ET_REL, an object file: link it first)"
                    : type == 4 ? " (ET_CORE, a core dump)" : "") + " is not an executable (ET_EXEC or ET_DYN)");
        }
        long entry = is64 ? b.getLong(24) : b.getInt(24) & 0xFFFFFFFFL;
        long phoff = is64 ? b.getLong(32) : b.getInt(28) & 0xFFFFFFFFL;
        int phentsize = b.getShort(is64 ? 54 : 42) & 0xFFFF;
        int phnum = b.getShort(is64 ? 56 : 44) & 0xFFFF;
        if (phnum == 0 || phentsize < (is64 ? 56 : 32) || phoff < 0 || phoff + (long) phnum * phentsize > f.length) {
            throw new ImageFormatException("ELF program headers lie outside the file");
        }
        long end = 0;
        long physEntry = -1;
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != PT_LOAD) {
                continue;
            }
            long offset = is64 ? b.getLong(ph + 8) : b.getInt(ph + 4) & 0xFFFFFFFFL;
            long vaddr = is64 ? b.getLong(ph + 16) : b.getInt(ph + 8) & 0xFFFFFFFFL;
            long paddr = is64 ? b.getLong(ph + 24) : b.getInt(ph + 12) & 0xFFFFFFFFL;
            long filesz = is64 ? b.getLong(ph + 32) : b.getInt(ph + 16) & 0xFFFFFFFFL;
            long memsz = is64 ? b.getLong(ph + 40) : b.getInt(ph + 20) & 0xFFFFFFFFL;
            if (offset < 0 || filesz < 0 || filesz > memsz || offset > f.length || filesz > f.length - offset) {
                throw new ImageFormatException("ELF segment " + i + " lies outside the file");
            }
            if (paddr < 0 || memsz > limit || paddr > limit - memsz) {
                throw new ImageFormatException(String.format("ELF segment %d (0x%x+0x%x) does not fit in guest RAM"
                        + " (0x%x usable)", i, paddr, memsz, limit));
            }
            mem.write(paddr, f, (int) offset, (int) filesz);
            mem.fill(paddr + filesz, memsz - filesz, (byte) 0);   // .bss
            if (entry >= vaddr && entry < vaddr + memsz) {
                physEntry = entry - vaddr + paddr;   // a kernel linked high runs from its physical copy
            }
            end = Math.max(end, paddr + memsz);
            spans.add(new Span(paddr, paddr + memsz));
        }
        if (spans.isEmpty()) {
            throw new ImageFormatException("ELF file has no loadable segment");
        }
        if (physEntry < 0) {
            throw new ImageFormatException(String.format("ELF e_entry 0x%x lies outside every loadable segment", entry));
        }
        return new Loaded(is64, physEntry, end, List.copyOf(spans));
    }

    public static BootPlan plan(byte[] f, GuestMemory mem, long limit) {
        Loaded l = load(f, mem, limit);
        return new BootPlan(l.is64() ? CpuMode.LONG : CpuMode.PROTECTED, l.entry(), 0, 0, 0,
                String.format("%s ELF, %d segment(s), entry 0x%x", l.is64() ? "64-bit" : "32-bit", l.segments().size(),
                        l.entry()));
    }
}
