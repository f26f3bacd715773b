package dev.vmscope.engine.vmcs;

import org.junit.jupiter.api.Test;

import static dev.vmscope.engine.vmcs.Exits.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** The small decoder for IN/OUT/INS/OUTS and their prefixes. */
class IoInstructionTest {

    @Test
    void forms() {
        IoInstruction outDx = IoInstruction.decode(bytes(0xEE), 32);
        assertThat(outDx).isEqualTo(new IoInstruction(false, false, false, -1, 1, 32, -1, 1));
        IoInstruction inImm = IoInstruction.decode(bytes(0xE5, 0x71), 16);
        assertThat(inImm.in()).isTrue();
        assertThat(inImm.port()).isEqualTo(0x71);
        assertThat(inImm.sizeBytes()).as("16-bit code: E5 is AX").isEqualTo(2);
        assertThat(inImm.length()).isEqualTo(2);
        assertThat(IoInstruction.decode(bytes(0xE5, 0x71), 32).sizeBytes()).isEqualTo(4);
        assertThat(IoInstruction.decode(bytes(0x66, 0xE5, 0x71), 32).sizeBytes()).isEqualTo(2);
    }

    @Test
    void stringFormsWithPrefixes() {
        IoInstruction repInsd = IoInstruction.decode(bytes(0xF3, 0x6D), 64);
        assertThat(repInsd.string()).isTrue();
        assertThat(repInsd.rep()).isTrue();
        assertThat(repInsd.segment()).as("INS always uses ES").isZero();
        assertThat(repInsd.addressBits()).isEqualTo(64);
        IoInstruction outsFs = IoInstruction.decode(bytes(0x67, 0x64, 0x6E), 64);
        assertThat(outsFs.segment()).isEqualTo(4);
        assertThat(outsFs.addressBits()).isEqualTo(32);
        assertThat(outsFs.rep()).isFalse();
        assertThat(outsFs.length()).isEqualTo(3);
        IoInstruction rexOut = IoInstruction.decode(bytes(0x48, 0xEF), 64);
        assertThat(rexOut.length()).isEqualTo(2);
        assertThat(rexOut.sizeBytes()).as("REX.W does not widen I/O").isEqualTo(4);
        assertThat(IoInstruction.decode(bytes(0x48, 0xEF), 32)).as("0x48 is DEC EAX outside 64-bit mode").isNull();
    }

    @Test
    void nonIoAndTruncatedBytes() {
        assertThat(IoInstruction.decode(bytes(0x90), 32)).isNull();
        assertThat(IoInstruction.decode(bytes(0xE6), 32)).as("imm8 missing").isNull();
        assertThat(IoInstruction.decode(bytes(0xF3, 0xF3), 32)).isNull();
        assertThat(IoInstruction.decode(new byte[0], 32)).isNull();
        assertThat(IoInstruction.decode(null, 32)).isNull();
    }

    @Test
    void instructionBytesAreReadAtCsBasePlusRip() {
        assertThat(ExitInfoMapper.instructionLinearAddress(StateBuilder.real16().rip(0xFFF0).build())).isEqualTo(0xFFFF0);
        assertThat(ExitInfoMapper.instructionLinearAddress(StateBuilder.protected32().rip(0x1000).build())).isEqualTo(0x1000);
        assertThat(ExitInfoMapper.instructionLinearAddress(StateBuilder.long64().rip(0xFFFFFFFF81000000L).build()))
                .isEqualTo(0xFFFFFFFF81000000L);
    }
}
