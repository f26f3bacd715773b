package dev.vmscope.app.ui.disasm;

import dev.vmscope.engine.debug.Disassembler;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The window around RIP, on the hello sample's real bytes (16-bit code loaded at 0x1000). */
class ListingTest {
    static byte[] hello() throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("vmscope.samples", "../samples"), "hello", "hello.bin"));
    }

    /** hello's bytes as guest memory holds them from 0x0: zeros below the image at 0x1000. */
    static byte[] memory() throws Exception {
        byte[] img = hello();
        byte[] m = new byte[0x1000 + img.length];
        System.arraycopy(img, 0, m, 0x1000, img.length);
        return m;
    }

    @Test
    void instructionsBeforeRipAreFoundByDecodingForwardToIt() throws Exception {
        byte[] mem = memory();
        // "out dx, al" of the loop: the one OUT in hello's code
        long out = -1;
        for (Disassembler.Insn i : Disassembler.disassemble(hello(), 0x1000, 16, 20)) {
            if (i.mnemonic().equals("out")) {
                out = i.address();
                break;
            }
        }
        assertThat(out).isGreaterThan(0x1000);
        Listing l = Listing.around(mem, 0, out, 16, Listing.BEFORE, Listing.WINDOW);
        assertThat(l.currentInsn().address()).isEqualTo(out);
        assertThat(l.currentInsn().text()).isEqualTo("out dx, al");
        // the real instructions before it are there, in order, ending right at RIP
        Disassembler.Insn prev = l.lines().get(l.current() - 1);
        assertThat(prev.address() + prev.length()).isEqualTo(out);
        assertThat(l.lines().subList(0, l.current())).extracting(Disassembler.Insn::mnemonic).contains("lodsb", "test");
        assertThat(l.lines()).hasSizeLessThanOrEqualTo(Listing.WINDOW);
        assertThat(l.current()).isLessThanOrEqualTo(Listing.BEFORE);

        ListingText t = ListingText.of(l);
        String line = t.line(t.current());
        assertThat(line).startsWith(ListingText.MARK).contains(String.format("%08x", out)).contains("ee")
                .endsWith("out dx, al");
        assertThat(t.line(0)).startsWith(ListingText.NO_MARK);
        // colours: the mnemonic, a register, a number
        int lineStart = t.text().indexOf(line);
        assertThat(t.spans()).anyMatch(s -> s.styleClass().equals("asm-mnemonic")
                && t.text().substring(s.start(), s.end()).equals("out") && s.start() > lineStart);
        assertThat(t.spans()).anyMatch(s -> s.styleClass().equals("asm-register")
                && t.text().substring(s.start(), s.end()).equals("dx"));
        assertThat(t.spans()).anyMatch(s -> s.styleClass().equals("asm-number")
                && t.text().substring(s.start(), s.end()).equals("0x3f8"));
        for (int i = 1; i < t.spans().size(); i++) {
            assertThat(t.spans().get(i).start()).isGreaterThanOrEqualTo(t.spans().get(i - 1).end());
        }
    }

    @Test
    void atTheFirstByteThereIsNothingBeforeAndAShortReadEndsTheWindow() throws Exception {
        byte[] img = hello();
        Listing l = Listing.around(img, 0x1000, 0x1000, 16, Listing.BEFORE, Listing.WINDOW);
        assertThat(l.current()).isZero();
        assertThat(l.currentInsn().mnemonic()).isEqualTo("cld");
        Listing cut = Listing.around(Arrays.copyOf(img, 2), 0x1000, 0x1001, 16, 4, 10);
        assertThat(cut.current()).isEqualTo(-1);   // "mov si, imm16" does not fit in one byte
        assertThat(cut.note()).contains("past the memory");
    }

    @Test
    void operandColouringKnowsRegistersNumbersAndSizes() {
        var spans = AsmHighlighter.operands("dword [rbp+0x10], r12d", 0);
        assertThat(spans).extracting(AsmHighlighter.Span::styleClass)
                .containsExactly("asm-keyword", "asm-register", "asm-number", "asm-register");
        assertThat(AsmHighlighter.operands("byte [es:di], al", 4)).extracting(AsmHighlighter.Span::start)
                .containsExactly(4, 10, 13, 18);
    }
}
