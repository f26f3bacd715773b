package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.x86.X86Insn;
import org.junit.jupiter.api.Test;

import static dev.vmscope.engine.vmcs.Exits.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** IN/OUT/INS/OUTS at RIP as the I/O exit mapping reads them (through the x86 decoder), and matching them to KVM's report. */
class IoExitsTest {

    @Test
    void forms() {
        X86Insn outDx = IoExits.decode(bytes(0xEE), 32);
        assertThat(outDx.ioIn()).isFalse();
        assertThat(outDx.ioString()).isFalse();
        assertThat(outDx.ioRepeated()).isFalse();
        assertThat(outDx.ioPort()).isEqualTo(-1);
        assertThat(outDx.ioImmediatePort()).isFalse();
        assertThat(outDx.ioSize()).isEqualTo(1);
        assertThat(outDx.addressSize()).isEqualTo(32);
        assertThat(outDx.ioSegment()).isEqualTo(-1);
        assertThat(outDx.length()).isEqualTo(1);
        X86Insn inImm = IoExits.decode(bytes(0xE5, 0x71), 16);
        assertThat(inImm.ioIn()).isTrue();
        assertThat(inImm.ioPort()).isEqualTo(0x71);
        assertThat(inImm.ioSize()).as("16-bit code: E5 is AX").isEqualTo(2);
        assertThat(inImm.length()).isEqualTo(2);
        assertThat(IoExits.decode(bytes(0xE5, 0x71), 32).ioSize()).isEqualTo(4);
        assertThat(IoExits.decode(bytes(0x66, 0xE5, 0x71), 32).ioSize()).isEqualTo(2);
    }

    @Test
    void stringFormsWithPrefixes() {
        X86Insn repInsd = IoExits.decode(bytes(0xF3, 0x6D), 64);
        assertThat(repInsd.ioString()).isTrue();
        assertThat(repInsd.ioRepeated()).isTrue();
        assertThat(repInsd.ioSegment()).as("INS always uses ES").isZero();
        assertThat(repInsd.addressSize()).isEqualTo(64);
        X86Insn outsFs = IoExits.decode(bytes(0x67, 0x64, 0x6E), 64);
        assertThat(outsFs.ioSegment()).isEqualTo(4);
        assertThat(outsFs.addressSize()).isEqualTo(32);
        assertThat(outsFs.ioRepeated()).isFalse();
        assertThat(outsFs.length()).isEqualTo(3);
        assertThat(IoExits.decode(bytes(0x6E), 32).ioSegment()).as("OUTS defaults to DS").isEqualTo(3);
        assertThat(IoExits.decode(bytes(0xF2, 0x6F), 32).ioRepeated()).as("REPNE repeats OUTS too").isTrue();
        assertThat(IoExits.decode(bytes(0xF3, 0xEE), 32).ioRepeated()).as("REP means nothing to OUT").isFalse();
        X86Insn rexOut = IoExits.decode(bytes(0x48, 0xEF), 64);
        assertThat(rexOut.length()).isEqualTo(2);
        assertThat(rexOut.ioSize()).as("REX.W does not widen I/O").isEqualTo(4);
        assertThat(IoExits.decode(bytes(0x48, 0xEF), 32)).as("0x48 is DEC EAX outside 64-bit mode").isNull();
    }

    @Test
    void nonIoAndTruncatedBytes() {
        assertThat(IoExits.decode(bytes(0x90), 32)).isNull();
        assertThat(IoExits.decode(bytes(0xE6), 32)).as("imm8 missing").isNull();
        assertThat(IoExits.decode(bytes(0xF3, 0xF3), 32)).isNull();
        assertThat(IoExits.decode(new byte[0], 32)).isNull();
        assertThat(IoExits.decode(null, 32)).isNull();
    }

    @Test
    void matchesWhatKvmReported() {
        X86Insn outDx = IoExits.decode(bytes(0xEE), 32);
        assertThat(IoExits.matches(outDx, new KvmExit.Io(true, 1, 0x3f8, 1, new byte[1]))).isTrue();
        assertThat(IoExits.matches(outDx, new KvmExit.Io(false, 1, 0x3f8, 1, new byte[1]))).as("direction").isFalse();
        assertThat(IoExits.matches(outDx, new KvmExit.Io(true, 2, 0x3f8, 1, new byte[2]))).as("size").isFalse();
        assertThat(IoExits.matches(outDx, new KvmExit.Io(true, 1, 0x3f8, 4, new byte[4]))).as("a count needs REP").isFalse();
        X86Insn outImm = IoExits.decode(bytes(0xE6, 0x80), 32);
        assertThat(IoExits.matches(outImm, new KvmExit.Io(true, 1, 0x81, 1, new byte[1]))).as("port").isFalse();
        X86Insn repOutsb = IoExits.decode(bytes(0xF3, 0x6E), 32);
        assertThat(IoExits.matches(repOutsb, new KvmExit.Io(true, 1, 0x3f8, 4, new byte[4]))).isTrue();
    }

    @Test
    void instructionBytesAreReadAtCsBasePlusRip() {
        assertThat(ExitInfoMapper.instructionLinearAddress(StateBuilder.real16().rip(0xFFF0).build())).isEqualTo(0xFFFF0);
        assertThat(ExitInfoMapper.instructionLinearAddress(StateBuilder.protected32().rip(0x1000).build())).isEqualTo(0x1000);
        assertThat(ExitInfoMapper.instructionLinearAddress(StateBuilder.long64().rip(0xFFFFFFFF81000000L).build()))
                .isEqualTo(0xFFFFFFFF81000000L);
    }
}
