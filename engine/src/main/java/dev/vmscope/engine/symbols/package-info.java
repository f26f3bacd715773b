/**
 * Guest symbols: {@link dev.vmscope.engine.symbols.SymbolTable} (sorted; address → {@code name+0x1c} by
 * binary search, name → address), read from an ELF guest's own symbol table
 * ({@link dev.vmscope.engine.symbols.ElfSymbols}, the same ELF code vmscope loads) or given with
 * {@code --symbols} as a System.map or vmlinux ({@link dev.vmscope.engine.symbols.Symbols}). A leaf: it
 * depends on nothing else of vmscope.
 *
 * <p>Decision: vmscope reads ELF itself rather than through a library: its loader already parses ELF
 * headers, and symbol tables are a hundred lines with every offset checked.
 */
package dev.vmscope.engine.symbols;
