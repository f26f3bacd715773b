package dev.vmscope.engine.x86;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The encoding facts vmscope synthesises VM exits from, and the decoder's behaviour on arbitrary bytes. */
class X86DecoderTest {
    private static final long AT = 0x1000;

    private static X86Insn decode(int bits, String hex) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        X86Insn x = new X86Decoder(bits).decode(code, 0, code.length, AT);
        assertThat(x).as("%d-bit %s", bits, hex).isNotNull();
        assertThat(x.length()).as("%d-bit %s length", bits, hex).isEqualTo(code.length);
        return x;
    }

    @Test
    void inAndOutWithDxOrAnImmediatePort() {
        X86Insn outDx = decode(16, "EE");
        assertThat(outDx.isIo()).isTrue();
        assertThat(outDx.ioDxPort()).isTrue();
        assertThat(outDx.ioImmediatePort()).isFalse();
        assertThat(outDx.ioIn()).isFalse();
        assertThat(outDx.ioString()).isFalse();
        assertThat(outDx.ioSize()).isEqualTo(1);
        assertThat(outDx.ioPort()).isEqualTo(-1);

        X86Insn inImm = decode(16, "E5 60");
        assertThat(inImm.ioImmediatePort()).isTrue();
        assertThat(inImm.ioPort()).isEqualTo(0x60);
        assertThat(inImm.ioIn()).isTrue();
        assertThat(inImm.ioSize()).isEqualTo(2);

        assertThat(decode(16, "66 EF").ioSize()).isEqualTo(4);
        assertThat(decode(32, "66 ED").ioSize()).isEqualTo(2);
        assertThat(decode(64, "48 ED").ioSize()).as("REX.W does not make I/O 64-bit").isEqualTo(4);
        assertThat(decode(32, "E6 80").ioPort()).isEqualTo(0x80);
        assertThat(decode(32, "90").isIo()).isFalse();
    }

    @Test
    void stringIoWithRepAndAddressSize() {
        X86Insn rep = decode(16, "F3 6E");
        assertThat(rep.ioString()).isTrue();
        assertThat(rep.isString()).isTrue();
        assertThat(rep.repeated()).isTrue();
        assertThat(rep.ioIn()).isFalse();
        assertThat(rep.ioSize()).isEqualTo(1);
        assertThat(rep.addressSize()).isEqualTo(16);

        X86Insn ins = decode(16, "67 F3 66 6D");
        assertThat(ins.ioString()).isTrue();
        assertThat(ins.ioIn()).isTrue();
        assertThat(ins.ioSize()).isEqualTo(4);
        assertThat(ins.addressSize()).isEqualTo(32);
        assertThat(ins.operandSize()).isEqualTo(32);
        assertThat(ins.has(X86Insn.ADDRESS_SIZE | X86Insn.OPERAND_SIZE)).isTrue();

        X86Insn seg = decode(32, "F3 26 6F");
        assertThat(seg.segmentOverride()).isEqualTo(0);
        assertThat(seg.segmentOverrideName()).isEqualTo("es");
        assertThat(seg.repeated()).isTrue();

        assertThat(decode(32, "6C").repeated()).isFalse();
        assertThat(decode(32, "F2 6C").repeated()).as("F2 repeats INS too").isTrue();
        assertThat(decode(64, "F3 48 A5").isString()).isTrue();
        assertThat(decode(64, "F3 48 A5").isIo()).isFalse();
    }

    @Test
    void mandatoryPrefixesAreNotRepeats() {
        X86Insn pause = decode(32, "F3 90");
        assertThat(pause.repeated()).isFalse();
        assertThat(pause.mandatoryPrefix()).isEqualTo(0xF3);
        assertThat(pause.has(X86Insn.REP)).isTrue();

        X86Insn movss = decode(32, "F3 0F 10 C1");
        assertThat(movss.repeated()).isFalse();
        assertThat(movss.opcodeMap()).isEqualTo(X86Insn.MAP_0F);
        assertThat(movss.opcode()).isEqualTo(0x10);

        X86Insn movdqa = decode(32, "66 0F 6F C1");
        assertThat(movdqa.mandatoryPrefix()).isEqualTo(0x66);
        assertThat(movdqa.operandSize()).as("a mandatory 66 is no operand-size override").isEqualTo(32);
    }

    @Test
    void modrmSibDisplacementAndImmediate() {
        X86Insn x = decode(32, "C7 44 24 04 78 56 34 12");
        assertThat(x.modrm()).isEqualTo(0x44);
        assertThat(x.mod()).isEqualTo(1);
        assertThat(x.reg()).isEqualTo(0);
        assertThat(x.rm()).isEqualTo(4);
        assertThat(x.sib()).isEqualTo(0x24);
        assertThat(x.displacement()).isEqualTo(4);
        assertThat(x.displacementSize()).isEqualTo(1);
        assertThat(x.immediate()).isEqualTo(0x12345678);
        assertThat(x.immediateSize()).isEqualTo(4);
        assertThat(x.hasMemoryOperand()).isTrue();

        X86Insn neg = decode(16, "8B 46 FE");
        assertThat(neg.displacement()).isEqualTo(-2);
        assertThat(neg.sib()).isEqualTo(-1);

        X86Insn far = decode(16, "EA 10 10 08 00");
        assertThat(far.immediate()).isEqualTo(0x1010);
        assertThat(far.immediate2()).isEqualTo(8);
        assertThat(far.hasModrm()).isFalse();

        X86Insn enter = decode(32, "C8 10 00 02");
        assertThat(enter.immediate()).isEqualTo(0x10);
        assertThat(enter.immediate2()).isEqualTo(2);

        X86Insn cr = decode(32, "0F 22 18");
        assertThat(cr.hasMemoryOperand()).as("mov to cr3 ignores mod").isFalse();
        assertThat(cr.displacementSize()).isZero();
    }

    @Test
    void rexAndRipRelative() {
        X86Insn x = decode(64, "48 89 05 10 00 00 00");
        assertThat(x.rex()).isEqualTo(0x48);
        assertThat(x.has(X86Insn.REX)).isTrue();
        assertThat(x.operandSize()).isEqualTo(64);
        assertThat(x.ripRelative()).isTrue();
        assertThat(x.ripTarget()).isEqualTo(AT + 7 + 0x10);

        X86Insn ignored = decode(64, "48 66 90");   // a REX before another prefix is ignored
        assertThat(ignored.rex()).isZero();
        assertThat(ignored.operandSize()).isEqualTo(16);

        assertThat(decode(64, "8B 04 25 00 10 00 00").ripRelative()).isFalse();
        assertThat(decode(32, "8B 05 00 10 00 00").ripRelative()).isFalse();
        assertThat(decode(64, "F0 48 0F B1 0A").has(X86Insn.LOCK)).isTrue();
    }

    @Test
    void operandAndAddressSizes() {
        assertThat(decode(16, "90").operandSize()).isEqualTo(16);
        assertThat(decode(16, "66 90").operandSize()).isEqualTo(32);
        assertThat(decode(32, "66 90").operandSize()).isEqualTo(16);
        assertThat(decode(64, "50").operandSize()).as("push defaults to 64").isEqualTo(64);
        assertThat(decode(64, "89 C8").operandSize()).isEqualTo(32);
        assertThat(decode(64, "66 48 89 C8").operandSize()).as("REX.W beats 66").isEqualTo(64);
        assertThat(decode(64, "90").addressSize()).isEqualTo(64);
        assertThat(decode(64, "67 8B 00").addressSize()).isEqualTo(32);
        assertThat(decode(32, "67 8B 00").addressSize()).isEqualTo(16);
        assertThat(decode(16, "67 8B 00").addressSize()).isEqualTo(32);
    }

    @Test
    void opcodeMaps() {
        assertThat(decode(32, "0F A2").opcodeMap()).isEqualTo(X86Insn.MAP_0F);
        X86Insn invept = decode(32, "66 0F 38 80 08");
        assertThat(invept.opcodeMap()).isEqualTo(X86Insn.MAP_0F38);
        assertThat(invept.opcode()).isEqualTo(0x80);
        X86Insn vex = decode(64, "C4 E3 7D 18 C1 01");
        assertThat(vex.has(X86Insn.VEX)).isTrue();
        assertThat(vex.opcodeMap()).isEqualTo(X86Insn.MAP_0F3A);
        assertThat(vex.immediate()).isEqualTo(1);
        X86Insn evex = decode(64, "62 F1 7D 48 FE 40 01");
        assertThat(evex.has(X86Insn.EVEX)).isTrue();
        assertThat(evex.displacementSize()).isEqualTo(1);
    }

    @Test
    void relativeBranchTargets() {
        X86Insn jnz = decode(16, "75 02");
        assertThat(jnz.hasRelativeTarget()).isTrue();
        assertThat(jnz.relativeTarget()).isEqualTo(AT + 4);
        X86Insn call = decode(64, "E8 FB FF FF FF");
        assertThat(call.relativeTarget()).isEqualTo(AT);
        assertThat(decode(64, "FF D0").hasRelativeTarget()).isFalse();
        assertThat(decode(32, "EA 00 10 00 00 08 00").hasRelativeTarget()).as("far: absolute").isFalse();
    }

    @Test
    void badAndTruncated() {
        X86Insn bad = decode(64, "06");
        assertThat(bad.valid()).isFalse();
        assertThat(bad.mnemonic()).isEqualTo("(bad)");
        assertThat(bad.isIo()).isFalse();
        assertThat(bad.hasMemoryOperand()).isFalse();
        byte[] cut = {(byte) 0xB8, 1, 2};
        assertThat(new X86Decoder(32).decode(cut, 0, cut.length, AT)).isNull();
        assertThat(new X86Decoder(32).decode(cut, 0, 1, AT)).isNull();
    }

    /**
     * Arbitrary bytes in every mode: no exception, always progress, at most 15 bytes, text always formats, and
     * every instruction needs all of its bytes (one fewer is "truncated").
     */
    @Test
    void randomBytesNeverBreakTheDecoder() {
        Random rnd = new Random(86);
        byte[] code = new byte[1 << 15];
        rnd.nextBytes(code);
        for (int bits : new int[]{16, 32, 64}) {
            X86Decoder d = new X86Decoder(bits);
            int valid = 0;
            for (int off = 0; off < code.length - 16; off++) {
                X86Insn x = d.decode(code, off, code.length, AT + off);
                assertThat(x).isNotNull();
                assertThat(x.length()).isBetween(1, 15);
                assertThat(x.text()).isNotEmpty();
                if (x.valid()) {
                    valid++;
                    assertThat(d.decode(code, off, off + x.length() - 1, AT + off))
                            .as("%d-bit at %d: %s needs all %d bytes", bits, off, x.text(), x.length()).isNull();
                }
            }
            assertThat(valid).as("most random bytes start some instruction").isGreaterThan(code.length / 2);
        }
    }
}
