package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import org.junit.jupiter.api.Test;

import static dev.vmscope.engine.vmcs.Exits.bytes;
import static dev.vmscope.engine.vmcs.Exits.in;
import static dev.vmscope.engine.vmcs.Exits.out;
import static dev.vmscope.engine.vmcs.Exits.simple;
import static dev.vmscope.engine.vmcs.VmcsField.*;
import static org.assertj.core.api.Assertions.assertThat;

/** KVM exits restated as VMX exits and SVM #VMEXITs, with the SDM/APM bit layouts. */
class ExitInfoMapperTest {
    private static final GuestState P32 = StateBuilder.protected32().rip(0x1000).build();

    private static ExitInfo map(KvmExit e, byte[] code) {
        return ExitInfoMapper.map(e, P32, code);
    }

    @Test
    void outToTheUartWithoutInstructionBytesKnowsPortSizeAndDirectionOnly() {
        ExitInfo x = map(out(0x3F8, 1, 1, 'H'), null);
        assertThat(x.vmxReason()).hasValue(30);
        assertThat(x.vmxReasonName()).isEqualTo("IO_INSTRUCTION");
        FieldValue q = x.vmcs(EXIT_QUALIFICATION);
        assertThat(q.value()).isEqualTo(0x03F80000L);
        assertThat(q.unknownMask()).as("string, REP, operand encoding").isEqualTo(0x70);
        assertThat(q.provenance()).isEqualTo(Provenance.DERIVED);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).provenance()).isEqualTo(Provenance.NOT_CAPTURED);
        Decoded d = x.qualificationDecoder().orElseThrow().decode(q).orElseThrow();
        assertThat(d.part("PORT").orElseThrow().valueText()).isEqualTo("0x3F8");
        assertThat(d.part("DIR").orElseThrow().valueText()).isEqualTo("OUT");
        assertThat(d.part("SIZE").orElseThrow().valueText()).isEqualTo("1 byte");
        assertThat(d.isKnown("STRING")).isFalse();
        assertThat(d.isKnown("OPERAND")).isFalse();
        assertThat(ValueFormat.hex(q, 64)).isEqualTo("0x0000000003F800?0");
        assertThat(x.notes()).anyMatch(n -> n.contains("DX"));
    }

    @Test
    void outDxAlDecodedFromBytesGivesTheFullQualificationAndLength() {
        ExitInfo x = map(out(0x3F8, 1, 1, 'H'), bytes(0xEE));
        assertThat(x.vmcs(EXIT_QUALIFICATION)).extracting(FieldValue::value, FieldValue::unknownMask).containsExactly(0x03F80000L, 0L);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(1);
        assertThat(x.vmcs(VMX_INSTRUCTION_INFO).provenance()).isEqualTo(Provenance.NOT_APPLICABLE);
        assertThat(x.vmcs(GUEST_PHYSICAL_ADDRESS).provenance()).isEqualTo(Provenance.NOT_APPLICABLE);
        assertThat(x.vmcs(VM_EXIT_INTR_INFO).value()).isZero();
        assertThat(x.vmcs(IDT_VECTORING_INFO_FIELD)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.DERIVED, 0L);
    }

    @Test
    void outImm8SetsTheOperandBit() {
        ExitInfo x = map(out(0x80, 1, 1, 0x42), bytes(0xE6, 0x80));
        assertThat(x.vmcs(EXIT_QUALIFICATION).value()).isEqualTo(0x00800040L);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(2);
        assertThat(BitDecoders.IO_QUALIFICATION.decode(0x00800040L).part("OPERAND").orElseThrow().valueText()).isEqualTo("immediate");
    }

    @Test
    void inImm8SetsTheInBit() {
        ExitInfo x = map(in(0x60, 1), bytes(0xE4, 0x60));
        assertThat(x.vmcs(EXIT_QUALIFICATION).value()).isEqualTo(0x00600048L);
    }

    @Test
    void sixteenBitOutInThirtyTwoBitCodeNeedsTheOperandSizePrefix() {
        ExitInfo x = map(out(0x1F0, 2, 1, 0x34, 0x12), bytes(0x66, 0xEF));
        assertThat(x.vmcs(EXIT_QUALIFICATION).value()).isEqualTo(0x01F00001L);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(2);
        ExitInfo wrongSize = map(out(0x1F0, 2, 1, 0x34, 0x12), bytes(0xEF));
        assertThat(wrongSize.vmcs(VM_EXIT_INSTRUCTION_LEN).provenance()).as("EF is a 32-bit OUT here").isEqualTo(Provenance.NOT_CAPTURED);
    }

    @Test
    void repOutsbSetsStringAndRepAndDescribesTheMemoryOperand() {
        GuestState s = StateBuilder.protected32().rip(0x1000).rsi(0x2000).build();
        ExitInfo x = ExitInfoMapper.map(out(0x3F8, 1, 5, 'h', 'e', 'l', 'l', 'o'), s, bytes(0xF3, 0x6E));
        assertThat(x.vmcs(EXIT_QUALIFICATION).value()).isEqualTo(0x03F80030L);
        assertThat(x.vmcs(EXIT_QUALIFICATION).unknownMask()).isZero();
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(2);
        FieldValue info = x.vmcs(VMX_INSTRUCTION_INFO);
        assertThat(info.value()).as("32-bit address size, DS").isEqualTo(1 << 7 | 3 << 15);
        Decoded di = BitDecoders.IO_INSTRUCTION_INFO.decode(info).orElseThrow();
        assertThat(di.part("ADDRESS_SIZE").orElseThrow().valueText()).isEqualTo("32-bit");
        assertThat(di.part("SEGMENT").orElseThrow().valueText()).isEqualTo("DS");
        assertThat(di.summary()).isEqualTo("ADDRESS_SIZE=32-bit SEGMENT=DS");
        assertThat(x.vmcs(GUEST_LINEAR_ADDRESS).value()).isEqualTo(0x2000);
    }

    @Test
    void repCountWithoutBytesStillProvesAStringInstruction() {
        ExitInfo x = map(out(0x3F8, 1, 4, 1, 2, 3, 4), null);
        assertThat(x.vmcs(EXIT_QUALIFICATION)).extracting(FieldValue::value, FieldValue::unknownMask).containsExactly(0x03F80030L, 0L);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).hasValue()).isFalse();
    }

    @Test
    void bytesThatDoNotMatchTheExitAreNotTrusted() {
        ExitInfo x = map(out(0x3F8, 1, 1, 'H'), bytes(0xEC)); // IN AL,DX
        assertThat(x.vmcs(EXIT_QUALIFICATION).unknownMask()).isEqualTo(0x70);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).note()).contains("does not match");
        ExitInfo nop = map(out(0x3F8, 1, 1, 'H'), bytes(0x90));
        assertThat(nop.vmcs(VM_EXIT_INSTRUCTION_LEN).note()).contains("not an I/O instruction");
    }

    @Test
    void svmIoioInfoUsesOneHotSizeAndAddressAndGivesTheNextRip() {
        ExitInfo x = map(out(0x3F8, 1, 1, 'H'), bytes(0xEE));
        assertThat(x.svmExitCode()).hasValue(0x7B);
        assertThat(x.svmExitName()).isEqualTo("IOIO");
        assertThat(x.vmcb(VmcbField.EXIT_INFO_1).value()).as("OUT, SZ8, A32, port").isEqualTo(0x03F80000L | 1 << 4 | 1 << 8);
        assertThat(x.vmcb(VmcbField.EXIT_INFO_2).value()).isEqualTo(0x1001);
        assertThat(x.vmcb(VmcbField.NEXT_RIP).value()).isEqualTo(0x1001);
        ExitInfo in = map(in(0x60, 1), null);
        assertThat(in.vmcb(VmcbField.EXIT_INFO_1).value() & 1).isEqualTo(1);
        assertThat(in.vmcb(VmcbField.EXIT_INFO_1).unknownMask() & (4 | 8)).isEqualTo(4 | 8);
    }

    @Test
    void mmioIsAnEptViolationWithTheGuestPhysicalAddress() {
        ExitInfo x = map(new KvmExit.Mmio(0xD0000000L, 4, true, 7), null);
        assertThat(x.vmxReason()).hasValue(48);
        assertThat(x.vmcs(GUEST_PHYSICAL_ADDRESS)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.DERIVED, 0xD0000000L);
        Decoded q = x.qualificationDecoder().orElseThrow().decode(x.vmcs(EXIT_QUALIFICATION)).orElseThrow();
        assertThat(q.isSet("WRITE")).isTrue();
        assertThat(q.isSet("READ")).isFalse();
        assertThat(q.isSet("LINEAR_VALID")).isTrue();
        assertThat(q.isKnown("EPT_READABLE")).isFalse();
        assertThat(x.vmcs(GUEST_LINEAR_ADDRESS).provenance()).isEqualTo(Provenance.NOT_VISIBLE);
        assertThat(x.svmExitCode()).hasValue(0x400);
        assertThat(x.vmcb(VmcbField.EXIT_INFO_2).value()).isEqualTo(0xD0000000L);
        assertThat(x.vmcb(VmcbField.EXIT_INFO_1).value()).isEqualTo(2 | 4 | 1L << 32);

        ExitInfo read = map(new KvmExit.Mmio(0xFEE00030L, 4, false, 0), null);
        assertThat(read.vmcs(EXIT_QUALIFICATION).value() & 7).isEqualTo(1);
    }

    @Test
    void shutdownIsATripleFault() {
        ExitInfo x = map(simple(KvmExitReason.SHUTDOWN), null);
        assertThat(x.vmxReason()).hasValue(2);
        assertThat(x.vmxReasonName()).isEqualTo("TRIPLE_FAULT");
        assertThat(x.svmExitCode()).hasValue(0x7F);
    }

    @Test
    void hltIsOneByteAndKvmAlreadySteppedPastIt() {
        ExitInfo x = map(simple(KvmExitReason.HLT), null);
        assertThat(x.vmxReason()).hasValue(12);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(1);
        assertThat(x.svmExitCode()).hasValue(0x78);
        assertThat(x.vmcb(VmcbField.NEXT_RIP).value()).isEqualTo(0x1000);
    }

    @Test
    void msrExitsAreReadAndWrite() {
        ExitInfo rd = map(new KvmExit.Msr(false, 0x10, 0, 0, 4), null);
        assertThat(rd.vmxReason()).hasValue(31);
        assertThat(rd.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(2);
        assertThat(rd.vmcs(VM_EXIT_INSTRUCTION_LEN).note()).contains("assumes no prefixes");
        assertThat(rd.svmExitCode()).hasValue(0x7C);
        assertThat(rd.vmcb(VmcbField.EXIT_INFO_1).value()).isZero();
        ExitInfo wr = map(new KvmExit.Msr(true, 0x10, 0, 0, 4), bytes(0x0F, 0x30));
        assertThat(wr.vmxReason()).hasValue(32);
        assertThat(wr.vmcs(VM_EXIT_INSTRUCTION_LEN).note()).contains("decoded");
        assertThat(wr.vmcb(VmcbField.EXIT_INFO_1).value()).isEqualTo(1);
        assertThat(wr.vmcb(VmcbField.NEXT_RIP).value()).isEqualTo(0x1002);
        ExitInfo wrong = map(new KvmExit.Msr(true, 0x10, 0, 0, 4), bytes(0x0F, 0x32));
        assertThat(wrong.vmcs(VM_EXIT_INSTRUCTION_LEN).hasValue()).isFalse();
    }

    @Test
    void singleStepIsAHardwareDebugExceptionWithDr6BitsInTheQualification() {
        ExitInfo x = map(new KvmExit.Debug(1, 0x1000, 0xFFFF4FF0L, 0x400), null);
        assertThat(x.vmxReason()).hasValue(0);
        assertThat(x.vmcs(VM_EXIT_INTR_INFO).value()).isEqualTo(0x80000301L);
        Decoded info = BitDecoders.INTERRUPTION_INFO.decode(x.vmcs(VM_EXIT_INTR_INFO)).orElseThrow();
        assertThat(info.get("VECTOR")).isEqualTo(1);
        assertThat(info.part("VECTOR").orElseThrow().valueText()).isEqualTo("1 #DB");
        assertThat(info.part("TYPE").orElseThrow().valueText()).isEqualTo("hardware exception");
        assertThat(info.isSet("VALID")).isTrue();
        assertThat(info.isSet("ERROR_CODE")).isFalse();
        FieldValue q = x.vmcs(EXIT_QUALIFICATION);
        assertThat(q.value()).isEqualTo(0x4000);
        assertThat(q.unknownMask()).isEqualTo(1 << 11 | 1 << 16);
        assertThat(x.qualificationDecoder().orElseThrow().decode(q).orElseThrow().isSet("BS")).isTrue();
        assertThat(x.svmExitCode()).hasValue(0x41);

        ExitInfo hw = map(new KvmExit.Debug(1, 0x1000, 0xFFFF0FF1L, 0x401), null);
        assertThat(hw.vmcs(EXIT_QUALIFICATION).value()).as("B0").isEqualTo(1);
    }

    @Test
    void breakpointIsASoftwareExceptionOneByteLong() {
        ExitInfo x = map(new KvmExit.Debug(3, 0x1000, 0, 0), null);
        assertThat(x.vmcs(VM_EXIT_INTR_INFO).value()).isEqualTo(0x80000603L);
        assertThat(x.vmcs(VM_EXIT_INSTRUCTION_LEN).value()).isEqualTo(1);
        assertThat(x.svmExitCode()).hasValue(0x43);
    }

    @Test
    void generalProtectionCarriesItsErrorCodeInProtectedModeOnly() {
        ExitInfo pm = map(new KvmExit.Exception(13, 0x18), null);
        assertThat(pm.vmcs(VM_EXIT_INTR_INFO).value()).isEqualTo(0x80000B0DL);
        assertThat(pm.vmcs(VM_EXIT_INTR_ERROR_CODE).value()).isEqualTo(0x18);
        assertThat(pm.svmExitCode()).hasValue(0x4D);
        assertThat(pm.vmcb(VmcbField.EXIT_INFO_1).value()).isEqualTo(0x18);
        ExitInfo rm = ExitInfoMapper.map(new KvmExit.Exception(13, 0), StateBuilder.real16().build(), null);
        assertThat(rm.vmcs(VM_EXIT_INTR_INFO).value()).isEqualTo(0x8000030DL);
        assertThat(rm.vmcs(VM_EXIT_INTR_ERROR_CODE).hasValue()).isFalse();
        ExitInfo pf = map(new KvmExit.Exception(14, 2), null);
        assertThat(pf.vmcs(EXIT_QUALIFICATION).provenance()).isEqualTo(Provenance.NOT_VISIBLE);
    }

    @Test
    void failedEntryReportsInvalidGuestStateWithBit31() {
        ExitInfo vmx = map(new KvmExit.FailEntry(0x80000021L, 3), null);
        assertThat(vmx.vmxReason()).hasValue(33);
        assertThat(vmx.vmcs(VM_EXIT_REASON)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.CAPTURED, 0x80000021L);
        Decoded d = BitDecoders.EXIT_REASON.decode(vmx.vmcs(VM_EXIT_REASON)).orElseThrow();
        assertThat(d.isSet("ENTRY_FAILURE")).isTrue();
        assertThat(d.part("BASIC").orElseThrow().valueText()).isEqualTo("33 INVALID_GUEST_STATE");

        ExitInfo unknown = map(new KvmExit.FailEntry(0, 0), null);
        assertThat(unknown.vmxReason()).hasValue(33);
        assertThat(unknown.vmcs(VM_EXIT_REASON)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.DERIVED, 0x80000021L);

        ExitInfo amd = map(new KvmExit.FailEntry(-1L, 0), null);
        assertThat(amd.vmcb(VmcbField.EXIT_CODE)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.CAPTURED, -1L);

        ExitInfo vmInstr = map(new KvmExit.FailEntry(7, 0), null);
        assertThat(vmInstr.vmxReason()).isEmpty();
        assertThat(vmInstr.noVmxReason()).contains("invalid control fields");
        assertThat(vmInstr.vmcs(VM_INSTRUCTION_ERROR)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.CAPTURED, 7L);
    }

    @Test
    void signalKickIsAnExternalInterruptWhoseVectorStaysHidden() {
        ExitInfo x = map(simple(KvmExitReason.INTR), null);
        assertThat(x.vmxReason()).hasValue(1);
        assertThat(x.vmcs(VM_EXIT_INTR_INFO).provenance()).isEqualTo(Provenance.NOT_VISIBLE);
        assertThat(x.svmExitCode()).hasValue(0x60);
    }

    @Test
    void kvmInternalExitsHaveNoProcessorEquivalentAndSayWhy() {
        for (KvmExit e : new KvmExit[]{new KvmExit.InternalError(1, new long[0]), new KvmExit.SystemEvent(1, new long[0]),
                simple(KvmExitReason.DIRTY_RING_FULL)}) {
            ExitInfo x = map(e, null);
            assertThat(x.vmxReason()).as(e.reason().name()).isEmpty();
            assertThat(x.noVmxReason()).as(e.reason().name()).isNotBlank();
            assertThat(x.svmExitCode()).isEmpty();
            for (VmcsField f : VmcsCatalog.fields(Area.EXIT_INFO)) {
                assertThat(x.vmcs(f).hasValue()).as(e.reason() + " " + f).isFalse();
            }
        }
        ExitInfo unexpected = map(new KvmExit.InternalError(4, new long[]{30, 1}), null);
        assertThat(unexpected.notes()).anyMatch(n -> n.contains("IO_INSTRUCTION"));
    }

    @Test
    void tprAccessAndEoiAndMemoryFaultUseTheirPayloads() {
        ExitInfo tpr = map(simple(KvmExitReason.TPR_ACCESS, 0x1000, 1), null);
        assertThat(tpr.vmxReason()).hasValue(44);
        assertThat(tpr.vmcs(EXIT_QUALIFICATION).value()).isEqualTo(0x1080);
        ExitInfo eoi = map(simple(KvmExitReason.IOAPIC_EOI, 0x21), null);
        assertThat(eoi.vmcs(EXIT_QUALIFICATION).value()).isEqualTo(0x21);
        ExitInfo mf = map(simple(KvmExitReason.MEMORY_FAULT, 8, 0x123000, 0x1000), null);
        assertThat(mf.vmcs(GUEST_PHYSICAL_ADDRESS).value()).isEqualTo(0x123000);
    }

    @Test
    void everyKvmExitKindMapsOrSaysWhyNot() {
        for (KvmExitReason r : KvmExitReason.values()) {
            ExitInfo x = map(Exits.sampleOf(r), null);
            assertThat(x.vmxReason().isPresent() || !x.noVmxReason().isBlank()).as(r.name()).isTrue();
            assertThat(x.svmExitCode().isPresent() || !x.noSvmReason().isBlank()).as(r.name()).isTrue();
            assertThat(x.summary()).startsWith("KVM " + r.name());
            x.vmxReason().ifPresent(v -> assertThat(x.vmcs(VM_EXIT_REASON).value() & 0xFFFF).isEqualTo(v));
        }
    }

    @Test
    void reasonTableCoversZeroToSeventyFive() {
        assertThat(VmxExitReasons.all()).hasSize(76);
        for (int i = 0; i < 76; i++) {
            assertThat(VmxExitReasons.all().get(i).code()).isEqualTo(i);
        }
        assertThat(VmxExitReasons.name(30)).isEqualTo("IO_INSTRUCTION");
        assertThat(VmxExitReasons.name(48)).isEqualTo("EPT_VIOLATION");
        assertThat(VmxExitReasons.of(35).orElseThrow().defined()).isFalse();
        assertThat(SvmExitCodes.name(0x7B)).isEqualTo("IOIO");
        assertThat(SvmExitCodes.name(0x78)).isEqualTo("HLT");
        assertThat(SvmExitCodes.name(0x7F)).isEqualTo("SHUTDOWN");
        assertThat(SvmExitCodes.name(0x81)).isEqualTo("VMMCALL");
        assertThat(SvmExitCodes.name(0x41)).isEqualTo("EXCP_1_DB");
        assertThat(SvmExitCodes.name(0x8D)).isEqualTo("XSETBV");
    }
}
