package dev.vmscope.engine.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a guest's symbols come from: its own image, or a file given with {@code --symbols}. */
public final class Symbols {
    private static final long MAX_FILE = 1L << 30;

    private Symbols() {
    }

    /** The image's own symbols when it is an ELF file with a symbol table; EMPTY otherwise. */
    public static SymbolTable ofImage(byte[] image) {
        return ElfSymbols.read(image);
    }

    /**
     * A {@code System.map}/{@code nm} listing or an ELF file ({@code vmlinux}), every address moved by
     * {@code offset} (the kernel's KASLR slide). Throws {@link IllegalArgumentException} with a one-line
     * message when the file cannot be read or holds no symbols.
     */
    public static SymbolTable load(Path file, long offset) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new IllegalArgumentException("--symbols: " + file + " is larger than 1 GiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--symbols: cannot read " + file + " (" + e.getMessage() + ")");
        }
        SymbolTable t = ElfSymbols.isElf(bytes) ? ElfSymbols.read(bytes)
                : SystemMap.parse(new String(bytes, StandardCharsets.ISO_8859_1)).table();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--symbols: " + file + " has no symbols (an ELF symbol table or"
                    + " System.map lines 'ADDRESS TYPE NAME')");
        }
        return t.shifted(offset);
    }
}
