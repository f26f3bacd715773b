package dev.vmscope.engine.symbols;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A guest's symbols, sorted by address: {@link #describe} turns an address into {@code name+0x1c} with a
 * binary search (never a scan), {@link #address} a name into its address. Immutable; any thread.
 */
public final class SymbolTable {
    /** How far past a symbol without a size an address still counts as inside it. */
    static final long SIZELESS_REACH = 0x10000;

    public static final SymbolTable EMPTY = new SymbolTable(List.of());

    /** One symbol; {@code size} 0 when the table does not say (System.map, assembler labels). */
    public record Symbol(String name, long address, long size) {
    }

    private final long[] addresses;
    private final Symbol[] symbols;
    private final Map<String, Long> byName = new HashMap<>();

    private SymbolTable(List<Symbol> list) {
        List<Symbol> sorted = new ArrayList<>(list);
        sorted.sort(Comparator.comparing((Symbol s) -> s.address(), Long::compareUnsigned)
                .thenComparing(s -> -s.size()));
        symbols = sorted.toArray(Symbol[]::new);
        addresses = new long[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            addresses[i] = symbols[i].address();
            byName.putIfAbsent(symbols[i].name(), symbols[i].address());
        }
    }

    public static SymbolTable of(List<Symbol> symbols) {
        return symbols.isEmpty() ? EMPTY : new SymbolTable(symbols);
    }

    public int size() {
        return symbols.length;
    }

    public boolean isEmpty() {
        return symbols.length == 0;
    }

    public List<Symbol> all() {
        return List.of(symbols);
    }

    /** Every address moved by {@code offset} (a KASLR slide). */
    public SymbolTable shifted(long offset) {
        if (offset == 0) {
            return this;
        }
        return of(Arrays.stream(symbols).map(s -> new Symbol(s.name(), s.address() + offset, s.size())).toList());
    }

    /** The symbol {@code address} lies in, or null. */
    public Symbol lookup(long address) {
        int lo = 0;
        int hi = addresses.length - 1;
        int found = -1;
        while (lo <= hi) {   // the last symbol at or below the address (unsigned: kernels live high)
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(addresses[mid], address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        Symbol s = symbols[found];
        long off = address - s.address();
        long reach = s.size() > 0 ? s.size() : SIZELESS_REACH;
        return Long.compareUnsigned(off, reach) < 0 ? s : null;
    }

    /** {@code name}, {@code name+0x1c}, or null when no symbol covers the address. */
    public String describe(long address) {
        Symbol s = lookup(address);
        if (s == null) {
            return null;
        }
        long off = address - s.address();
        return off == 0 ? s.name() : s.name() + "+0x" + Long.toHexString(off);
    }

    /** The name of the symbol that starts exactly at {@code address} (a label in a listing), or null. */
    public String label(long address) {
        Symbol s = lookup(address);
        return s != null && s.address() == address ? s.name() : null;
    }

    /** {@code " <putc+0x5>"} to follow an address in a line of text, or "" when no symbol covers it. */
    public String suffix(long address) {
        String d = describe(address);
        return d == null ? "" : " <" + d + ">";
    }

    /** The address of {@code name}. */
    public OptionalLong address(String name) {
        Long a = byName.get(name);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a);
    }
}
