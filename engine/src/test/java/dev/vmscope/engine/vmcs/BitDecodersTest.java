package dev.vmscope.engine.vmcs;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bit layouts, checked against values whose meaning is well known. */
class BitDecodersTest {

    @Test
    void controlRegistersAndFlags() {
        assertThat(BitDecoders.CR0.decode(0x80050033L).summary()).isEqualTo("PE MP ET NE WP AM PG");
        assertThat(BitDecoders.CR4.decode(0x3406F0L).summary()).isEqualTo("PSE PAE MCE PGE OSFXSR OSXMMEXCPT OSXSAVE SMEP SMAP");
        Decoded fl = BitDecoders.RFLAGS.decode(0x3246);
        assertThat(fl.summary()).isEqualTo("PF ZF IF IOPL=3");
        assertThat(fl.get("IOPL")).isEqualTo(3);
        assertThat(BitDecoders.EFER.decode(0xD01).summary()).isEqualTo("SCE LME LMA NXE");
    }

    @Test
    void debugRegisters() {
        Decoded dr7 = BitDecoders.DR7.decode(0x000D0402L); // G0, reserved bit 10, RW0=write, LEN0=4 bytes
        assertThat(dr7.isSet("G0")).isTrue();
        assertThat(dr7.part("RW0").orElseThrow().valueText()).isEqualTo("write");
        assertThat(dr7.part("LEN0").orElseThrow().valueText()).isEqualTo("4 bytes");
        assertThat(dr7.summary()).isEqualTo("G0 RW0=write LEN0=4 bytes");
        Decoded dr6 = BitDecoders.DR6.decode(0xFFFF4FF0L);
        assertThat(dr6.isSet("BS")).isTrue();
        assertThat(dr6.isSet("B0")).isFalse();
    }

    @Test
    void crAccessQualification() {
        // MOV CR3, RAX would be CR 3, type 0, GPR 0; MOV RBX, CR0 is CR 0, type 1, GPR 3.
        Decoded q = BitDecoders.CR_ACCESS_QUALIFICATION.decode(0x313);
        assertThat(q.get("CR")).isEqualTo(3);
        assertThat(q.part("TYPE").orElseThrow().valueText()).isEqualTo("MOV from CR");
        assertThat(q.part("GPR").orElseThrow().valueText()).isEqualTo("RBX");
        Decoded lmsw = BitDecoders.CR_ACCESS_QUALIFICATION.decode(0x00010030L);
        assertThat(lmsw.part("TYPE").orElseThrow().valueText()).isEqualTo("LMSW");
        assertThat(lmsw.get("LMSW_DATA")).isEqualTo(1);
    }

    @Test
    void eptViolationAndInterruptionInformation() {
        Decoded ept = BitDecoders.EPT_VIOLATION_QUALIFICATION.decode(0x181);
        assertThat(ept.summary()).isEqualTo("READ LINEAR_VALID TRANSLATED");
        Decoded pf = BitDecoders.INTERRUPTION_INFO.decode(0x80000B0EL);
        assertThat(pf.part("VECTOR").orElseThrow().valueText()).isEqualTo("14 #PF");
        assertThat(pf.isSet("ERROR_CODE")).isTrue();
        assertThat(pf.summary()).isEqualTo("VECTOR=14 #PF TYPE=hardware exception ERROR_CODE VALID");
        Decoded ext = BitDecoders.INTERRUPTION_INFO.decode(0x80000020L);
        assertThat(ext.part("VECTOR").orElseThrow().valueText()).as("no mnemonic for an interrupt").isEqualTo("32");
        assertThat(BitDecoders.INTERRUPTION_INFO.decode(0).summary()).isEqualTo("not valid");
    }

    @Test
    void unknownBitsAreMarkedAndHidden() {
        Decoded d = BitDecoders.IO_QUALIFICATION.decode(0x03F80000L, 0x70);
        assertThat(d.isKnown("STRING")).isFalse();
        assertThat(d.part("OPERAND").orElseThrow().valueText()).isEqualTo("?");
        assertThat(d.summary()).isEqualTo("PORT=0x3F8 SIZE=1 byte DIR=OUT STRING=? REP=? OPERAND=?");
    }

    @Test
    void theDecidingPartComesFirst() {
        // a 64-bit code segment says L before its type; an I/O exit its port before size and direction
        assertThat(BitDecoders.VMX_ACCESS_RIGHTS.decode(0xA09BL, 0).summary())
                .isEqualTo("L TYPE=0xB code readable accessed S DPL=0 P G");
        assertThat(BitDecoders.SVM_IOIO_INFO1.decode(0x03FA0011L, 0).summary()).startsWith("PORT=0x3FA TYPE=IN");
        assertThat(BitDecoders.IO_QUALIFICATION.decode(0x03FA0008L, 0).summary())
                .isEqualTo("PORT=0x3FA SIZE=1 byte DIR=IN OPERAND=DX");
    }

    @Test
    void systemSegmentTypesAreNamed() {
        assertThat(BitDecoders.VMX_ACCESS_RIGHTS.decode(0x8B).part("TYPE").orElseThrow().valueText()).isEqualTo("0xB 32/64-bit TSS busy");
        assertThat(BitDecoders.VMX_ACCESS_RIGHTS.decode(0x82).part("TYPE").orElseThrow().valueText()).isEqualTo("0x2 LDT");
        assertThat(BitDecoders.VMX_ACCESS_RIGHTS.decode(0xF3).part("TYPE").orElseThrow().valueText()).isEqualTo("0x3 data writable accessed");
        assertThat(BitDecoders.VMX_ACCESS_RIGHTS.decode(0xF3).get("DPL")).isEqualTo(3);
    }

    @Test
    void everyFieldWithALayoutDecodesWithoutGaps() {
        for (VmcsField f : VmcsField.values()) {
            BitDecoders.forField(f).ifPresent(d -> assertThat(d.decode(-1L).bits()).as(f.name()).isNotEmpty());
        }
    }
}
