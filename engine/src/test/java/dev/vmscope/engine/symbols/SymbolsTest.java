package dev.vmscope.engine.symbols;

import dev.vmscope.engine.debug.Disassembler;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Symbols from an ELF guest, a System.map and a trace, and the lookup every address display relies on. */
class SymbolsTest {
    private static final Path ELFSYMS = KvmTests.sample("symbols");

    @Test
    void theElfSamplesTableIsReadAsReadelfShowsIt() throws Exception {
        SymbolTable t = ElfSymbols.read(Files.readAllBytes(ELFSYMS.resolve("symbols.bin")));
        // readelf -s samples/symbols/symbols.bin
        assertThat(t.all()).extracting(SymbolTable.Symbol::name)
                .containsExactly("start", "halt", "main", "puts", "putc", "greeting");
        assertThat(t.address("putc")).hasValue(0x10009b);
        assertThat(t.describe(0x1000a0)).isEqualTo("putc+0x5");
        assertThat(t.describe(0x10009b)).isEqualTo("putc");
        assertThat(t.suffix(0x1000a0)).isEqualTo(" <putc+0x5>");
        assertThat(t.describe(0x100000)).isNull();         // the ELF header: below every symbol
        assertThat(t.describe(0x1000a1)).isEqualTo("greeting");
        assertThat(t.describe(0x2000000)).isNull();        // far past the last symbol's size
    }

    @Test
    void lookupIsABinarySearchThatAgreesWithAScan() {
        Random r = new Random(7);
        List<SymbolTable.Symbol> list = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long a = 0xffffffff81000000L + (r.nextInt(1 << 24) & ~0xF);
            list.add(new SymbolTable.Symbol("f" + i, a, r.nextBoolean() ? 0 : 1 + r.nextInt(64)));
        }
        SymbolTable t = SymbolTable.of(list);
        for (int i = 0; i < 20000; i++) {
            long a = 0xffffffff81000000L + r.nextInt(1 << 24);
            SymbolTable.Symbol best = null;
            for (SymbolTable.Symbol s : t.all()) {   // the slow way: the last symbol at or below a
                if (Long.compareUnsigned(s.address(), a) <= 0) {
                    best = s;
                }
            }
            SymbolTable.Symbol expect = best == null || Long.compareUnsigned(a - best.address(),
                    best.size() > 0 ? best.size() : SymbolTable.SIZELESS_REACH) >= 0 ? null : best;
            assertThat(t.lookup(a)).as("0x%x", a).isEqualTo(expect);
        }
    }

    @Test
    void aSystemMapWithAKaslrOffset() throws Exception {
        Path map = Files.createTempFile("System", ".map");
        Files.writeString(map, """
                ffffffff81000000 T _stext
                ffffffff81000000 T _text
                ffffffff81001000 t do_one_initcall
                0000000000000000 A VDSO32_PRELINK
                ffffffff82000000 D init_task
                this line is not a symbol
                """);
        SymbolTable t = Symbols.load(map, 0x1e00000);
        assertThat(t.address("do_one_initcall")).hasValue(0xffffffff82e01000L);
        assertThat(t.describe(0xffffffff82e0101cL)).isEqualTo("do_one_initcall+0x1c");
        assertThat(t.address("VDSO32_PRELINK")).isEmpty();   // absolute: not an address in the kernel
        assertThat(SystemMap.parse(Files.readString(map)).skipped()).isEqualTo(1);
        Path empty = Files.createTempFile("empty", ".map");
        assertThatThrownBy(() -> Symbols.load(empty, 0)).hasMessageContaining("has no symbols");
        assertThatThrownBy(() -> Symbols.load(Path.of("/nonexistent/System.map"), 0))
                .hasMessageStartingWith("--symbols: cannot read /nonexistent/System.map");
    }

    @Test
    void damagedElfFilesGiveNoSymbolsNotAnException() throws Exception {
        byte[] f = Files.readAllBytes(ELFSYMS.resolve("symbols.bin"));
        Random r = new Random(3);
        for (int i = 0; i < 2000; i++) {
            byte[] g = f.clone();
            for (int k = 0; k < 4; k++) {
                g[r.nextInt(g.length)] = (byte) r.nextInt();
            }
            ElfSymbols.read(g);   // any outcome but an exception
            ElfSymbols.read(java.util.Arrays.copyOf(f, r.nextInt(f.length)));
        }
    }

    @Test
    void aTraceKeepsTheSymbolsItWasRecordedWith() throws Exception {
        SymbolTable t = TraceReader.open(ELFSYMS.resolve("symbols.vmtrace")).source().symbols();
        assertThat(t.all()).isEqualTo(ElfSymbols.read(Files.readAllBytes(ELFSYMS.resolve("symbols.bin"))).all());
    }

    @Test
    void disassemblyLabelsSymbolStartsAndNamesBranchTargets() throws Exception {
        byte[] f = Files.readAllBytes(ELFSYMS.resolve("symbols.bin"));
        SymbolTable t = ElfSymbols.read(f);
        // puts (0x10008e): lodsb; test al, al; jz 0x10009a; call putc; jmp puts (objdump -D: je, the same opcode)
        List<Disassembler.Insn> puts = Disassembler.disassemble(java.util.Arrays.copyOfRange(f, 0x8e, 0x9b),
                0x10008e, 32, 5);
        assertThat(puts).extracting(i -> i.text(t)).containsExactly("lodsb", "test al, al",
                "jz 0x10009a <puts+0xc>", "call 0x10009b <putc>", "jmp 0x10008e <puts>");
        assertThat(puts.get(0).target()).isEmpty();
        assertThat(puts.get(3).target()).hasValue(0x10009b);
        assertThat(puts.get(3).text(SymbolTable.EMPTY)).isEqualTo(puts.get(3).text()).isEqualTo("call 0x10009b");
        assertThat(t.label(0x10008e)).isEqualTo("puts");
        assertThat(t.label(0x10008f)).isNull();   // inside puts, not its start
        assertThat(t.label(0x100000)).isNull();
    }
}
