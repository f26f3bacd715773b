package dev.vmscope.engine.symbols;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The symbol table (.symtab, else .dynsym) of a 32- or 64-bit little-endian ELF file: functions, objects
 * and untyped labels with a name and an address; section, file and undefined symbols are left out. Every
 * offset, size and count comes from the file, so each is checked against the file before it is used; a file
 * without symbols (or not ELF) gives {@link SymbolTable#EMPTY}.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_NOTYPE = 0;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int MAX_NAME = 512;

    private ElfSymbols() {
    }

    public static boolean isElf(byte[] f) {
        return f.length >= 64 && f[0] == 0x7F && f[1] == 'E' && f[2] == 'L' && f[3] == 'F' && f[5] == 1
                && (f[4] == 1 || f[4] == 2);
    }

    public static SymbolTable read(byte[] f) {
        if (!isElf(f)) {
            return SymbolTable.EMPTY;
        }
        boolean is64 = f[4] == 2;
        ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = is64 ? b.getLong(40) : b.getInt(32) & 0xFFFFFFFFL;
        int shentsize = b.getShort(is64 ? 58 : 46) & 0xFFFF;
        int shnum = b.getShort(is64 ? 60 : 48) & 0xFFFF;
        int minEntry = is64 ? 64 : 40;
        if (shnum == 0 || shentsize < minEntry || shoff <= 0 || shoff > f.length
                || (long) shnum * shentsize > f.length - shoff) {
            return SymbolTable.EMPTY;
        }
        int chosen = -1;
        for (int i = 0; i < shnum; i++) {
            int type = b.getInt((int) (shoff + (long) i * shentsize) + 4);
            if (type == SHT_SYMTAB || type == SHT_DYNSYM && chosen < 0) {
                chosen = i;
            }
        }
        if (chosen < 0) {
            return SymbolTable.EMPTY;
        }
        Section symtab = section(b, is64, (int) (shoff + (long) chosen * shentsize), f.length);
        if (symtab == null || symtab.link < 0 || symtab.link >= shnum) {
            return SymbolTable.EMPTY;
        }
        Section strtab = section(b, is64, (int) (shoff + (long) symtab.link * shentsize), f.length);
        if (strtab == null) {
            return SymbolTable.EMPTY;
        }
        int entry = is64 ? 24 : 16;
        List<SymbolTable.Symbol> out = new ArrayList<>();
        for (long at = symtab.offset; at + entry <= symtab.offset + symtab.size; at += entry) {
            int p = (int) at;
            long nameOff = b.getInt(p) & 0xFFFFFFFFL;
            int info = f[p + (is64 ? 4 : 12)] & 0xFF;
            int shndx = b.getShort(p + (is64 ? 6 : 14)) & 0xFFFF;
            long value = is64 ? b.getLong(p + 8) : b.getInt(p + 4) & 0xFFFFFFFFL;
            long size = is64 ? b.getLong(p + 16) : b.getInt(p + 8) & 0xFFFFFFFFL;
            int type = info & 0xF;
            if (shndx == 0 || type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE || nameOff == 0
                    || nameOff >= strtab.size) {
                continue;
            }
            String name = string(f, strtab.offset + nameOff, strtab.offset + strtab.size);
            if (!name.isEmpty()) {
                out.add(new SymbolTable.Symbol(name, value, Math.max(0, size)));
            }
        }
        return SymbolTable.of(out);
    }

    private record Section(long offset, long size, int link) {
    }

    /** A section header, or null when its bytes lie outside the file. */
    private static Section section(ByteBuffer b, boolean is64, int at, int fileLength) {
        long offset = is64 ? b.getLong(at + 24) : b.getInt(at + 16) & 0xFFFFFFFFL;
        long size = is64 ? b.getLong(at + 32) : b.getInt(at + 20) & 0xFFFFFFFFL;
        int link = b.getInt(at + (is64 ? 40 : 24));
        if (offset < 0 || size < 0 || offset > fileLength || size > fileLength - offset) {
            return null;
        }
        return new Section(offset, size, link);
    }

    private static String string(byte[] f, long from, long limit) {
        int start = (int) from;
        int end = start;
        while (end < limit && f[end] != 0 && end - start < MAX_NAME) {
            end++;
        }
        return new String(f, start, end - start, StandardCharsets.UTF_8);
    }
}
