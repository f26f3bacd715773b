package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vmscope.engine.vmcs.Exits.out;
import static dev.vmscope.engine.vmcs.Exits.simple;
import static dev.vmscope.engine.vmcs.VmcsField.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Guest-state, control and host fields of the VMCS view, built from synthetic snapshots. */
class VmcsFieldViewTest {

    private static VmcsFieldView view(StateBuilder s, KvmExit e) {
        return VmcsFieldView.of(s.exit(e));
    }

    @Test
    void flatThirtyTwoBitCodeSegmentHasAccessRightsC09B() {
        VmcsFieldView v = view(StateBuilder.protected32(), out(0x3F8, 1, 1, 'H'));
        assertThat(v.get(GUEST_CS_AR_BYTES)).isEqualTo(FieldValue.captured(0xC09B, v.get(GUEST_CS_AR_BYTES).note()));
        assertThat(v.get(GUEST_CS_SELECTOR).value()).isEqualTo(0x08);
        assertThat(v.get(GUEST_CS_LIMIT).value()).isEqualTo(0xFFFFFFFFL);
        assertThat(v.get(GUEST_DS_AR_BYTES).value()).isEqualTo(0xC093);
        assertThat(v.get(GUEST_TR_AR_BYTES).value()).isEqualTo(0x8B);
        Decoded cs = v.decoded(GUEST_CS_AR_BYTES).orElseThrow();
        assertThat(cs.get("TYPE")).isEqualTo(0xB);
        assertThat(cs.isSet("S")).isTrue();
        assertThat(cs.isSet("P")).isTrue();
        assertThat(cs.isSet("DB")).isTrue();
        assertThat(cs.isSet("G")).isTrue();
        assertThat(cs.isSet("L")).isFalse();
        assertThat(cs.get("DPL")).isZero();
        assertThat(cs.part("TYPE").orElseThrow().valueText()).contains("code").contains("readable").contains("accessed");
    }

    @Test
    void unusableSegmentIsBit16Only() {
        VmcsFieldView v = view(StateBuilder.protected32(), out(0x3F8, 1, 1, 'H'));
        assertThat(v.get(GUEST_LDTR_AR_BYTES).value()).isEqualTo(0x10000);
        assertThat(v.decoded(GUEST_LDTR_AR_BYTES).orElseThrow().summary()).isEqualTo("UNUSABLE");
    }

    @Test
    void longModeEferDecodesToLmeAndLma() {
        VmcsFieldView v = view(StateBuilder.long64(), out(0x3F8, 1, 1, 'H'));
        assertThat(v.get(GUEST_IA32_EFER).value()).isEqualTo(0x500);
        Decoded efer = v.decoded(GUEST_IA32_EFER).orElseThrow();
        assertThat(efer.isSet("LME")).isTrue();
        assertThat(efer.isSet("LMA")).isTrue();
        assertThat(efer.isSet("SCE")).isFalse();
        assertThat(efer.summary()).isEqualTo("LME LMA");
        assertThat(v.get(GUEST_CS_AR_BYTES).value()).isEqualTo(0xA09B); // L set, D/B clear
        assertThat(v.decoded(GUEST_CR0).orElseThrow().summary()).isEqualTo("PE ET PG");
    }

    @Test
    void registersAndControlRegistersAreCaptured() {
        StateBuilder s = StateBuilder.long64().rip(0x1005).rsp(0x8000).rflags(0x202).cr3(0x9000).gdt(0x500, 0x27).idt(0x600, 0xFFF);
        VmcsFieldView v = view(s, out(0x3F8, 1, 1, 'H'));
        assertThat(v.get(GUEST_RIP)).isEqualTo(FieldValue.captured(0x1005, "kvm_regs.rip"));
        assertThat(v.get(GUEST_RSP).value()).isEqualTo(0x8000);
        assertThat(v.get(GUEST_RFLAGS).value()).isEqualTo(0x202);
        assertThat(v.decoded(GUEST_RFLAGS).orElseThrow().isSet("IF")).isTrue();
        assertThat(v.get(GUEST_CR3).value()).isEqualTo(0x9000);
        assertThat(v.get(GUEST_CR4).value()).isEqualTo(0x20);
        assertThat(v.get(GUEST_GDTR_BASE).value()).isEqualTo(0x500);
        assertThat(v.get(GUEST_GDTR_LIMIT).value()).isEqualTo(0x27);
        assertThat(v.get(GUEST_IDTR_LIMIT).value()).isEqualTo(0xFFF);
        assertThat(v.get(CR0_READ_SHADOW).provenance()).isEqualTo(Provenance.DERIVED);
        assertThat(v.get(CR0_READ_SHADOW).value()).isEqualTo(0x80000011L);
    }

    @Test
    void dr7IsNotCapturedAtTheFastLevelButIsAtFullAndAtDebugExits() {
        VmcsFieldView fast = view(StateBuilder.protected32(), out(0x3F8, 1, 1, 'H'));
        assertThat(fast.get(GUEST_DR7).provenance()).isEqualTo(Provenance.NOT_CAPTURED);
        assertThat(fast.get(GUEST_DR7).hasValue()).isFalse();
        assertThat(fast.get(GUEST_DR7).note()).contains("full");

        VmcsFieldView full = view(StateBuilder.protected32().full(0xFFFF0FF0L, 0x401, 0), out(0x3F8, 1, 1, 'H'));
        assertThat(full.get(GUEST_DR7)).isEqualTo(FieldValue.captured(0x401, "kvm_debugregs.dr7"));
        assertThat(full.decoded(GUEST_DR7).orElseThrow().isSet("L0")).isTrue();

        VmcsFieldView debug = view(StateBuilder.protected32(), new KvmExit.Debug(1, 0x1000, 0xFFFF4FF0L, 0x403));
        assertThat(debug.get(GUEST_DR7).provenance()).isEqualTo(Provenance.CAPTURED);
        assertThat(debug.get(GUEST_DR7).value()).isEqualTo(0x403);
        VmcsFieldView debugFull = view(StateBuilder.protected32().full(0xFFFF0FF0L, 0x400, 0), new KvmExit.Debug(1, 0x1000, 0xFFFF4FF0L, 0x403));
        assertThat(debugFull.get(GUEST_DR7).value()).as("the hardware DR7 KVM copied wins over the guest's own").isEqualTo(0x403);

        // what this PVM host reported at a debug exit: shown as reported, marked unreliable
        KvmExit.Debug garbage = new KvmExit.Debug(1, 0x1000, 0xFFFF4FF0L, 0x536656665766e589L);
        assertThat(garbage.validDr7()).isFalse();
        assertThat(garbage.detail()).endsWith("dr7 0x536656665766e589 (not a valid DR7: unreliable)");
        FieldValue shown = view(StateBuilder.protected32(), garbage).get(GUEST_DR7);
        assertThat(shown.value()).isEqualTo(0x536656665766e589L);
        assertThat(shown.note()).contains("UNRELIABLE");
        assertThat(new KvmExit.Debug(1, 0, 0, 0x400).validDr7()).isTrue();
        assertThat(new KvmExit.Debug(1, 0, 0, 0x2403).validDr7()).as("GD set").isTrue();
        assertThat(new KvmExit.Debug(1, 0, 0, 0x3).validDr7()).as("bit 10 clear").isFalse();
    }

    @Test
    void msrFieldsComeFromTheFullLevelOnly() {
        VmcsFieldView fast = view(StateBuilder.protected32(), out(0x3F8, 1, 1, 'H'));
        for (VmcsField f : List.of(GUEST_IA32_PAT, GUEST_IA32_DEBUGCTL, GUEST_SYSENTER_CS, GUEST_SYSENTER_ESP, GUEST_SYSENTER_EIP)) {
            assertThat(fast.get(f).provenance()).as(f.name()).isEqualTo(Provenance.NOT_CAPTURED);
        }
        StateBuilder s = StateBuilder.protected32().full(0, 0x400, 0).msr(Msr.PAT, 0x0007040600070406L)
                .msr(Msr.SYSENTER_CS, 0x10).msr(Msr.SYSENTER_ESP, 0x7000).msr(Msr.SYSENTER_EIP, 0xC0001000L).msr(Msr.DEBUGCTL, 1);
        VmcsFieldView full = view(s, out(0x3F8, 1, 1, 'H'));
        assertThat(full.get(GUEST_IA32_PAT).value()).isEqualTo(0x0007040600070406L);
        assertThat(full.decoded(GUEST_IA32_PAT).orElseThrow().part("PA0").orElseThrow().valueText()).isEqualTo("WB");
        assertThat(full.get(GUEST_SYSENTER_CS).value()).isEqualTo(0x10);
        assertThat(full.get(GUEST_SYSENTER_ESP).value()).isEqualTo(0x7000);
        assertThat(full.get(GUEST_SYSENTER_EIP).value()).isEqualTo(0xC0001000L);
        assertThat(full.get(GUEST_IA32_DEBUGCTL).value()).isEqualTo(1);
        assertThat(full.get(GUEST_IA32_DEBUGCTL).provenance()).isEqualTo(Provenance.CAPTURED);
    }

    @Test
    void interruptibilitySwapsKvmShadowBitsIntoVmxOrder() {
        KvmExit e = out(0x3F8, 1, 1, 'H');
        assertThat(view(StateBuilder.protected32().interruptShadow(1), e).get(GUEST_INTERRUPTIBILITY_INFO).value())
                .as("KVM MOV_SS (1) is VMX bit 1").isEqualTo(2);
        assertThat(view(StateBuilder.protected32().interruptShadow(2), e).get(GUEST_INTERRUPTIBILITY_INFO).value())
                .as("KVM STI (2) is VMX bit 0").isEqualTo(1);
        FieldValue nmi = view(StateBuilder.protected32().nmiMasked(true).inSmm(true), e).get(GUEST_INTERRUPTIBILITY_INFO);
        assertThat(nmi.value()).isEqualTo(8 | 4);
        assertThat(nmi.provenance()).isEqualTo(Provenance.DERIVED);
        assertThat(nmi.unknownMask()).as("enclave bit is not reported").isEqualTo(1 << 4);
        Decoded d = BitDecoders.INTERRUPTIBILITY.decode(nmi).orElseThrow();
        assertThat(d.isSet("NMI")).isTrue();
        assertThat(d.isKnown("ENCLAVE")).isFalse();
    }

    @Test
    void activityStateFollowsMpStateAtFullLevelAndTheExitKindOtherwise() {
        KvmExit io = out(0x3F8, 1, 1, 'H');
        assertThat(view(StateBuilder.protected32().full(0, 0, GuestFacts.MP_RUNNABLE), io).get(GUEST_ACTIVITY_STATE).value()).isZero();
        assertThat(view(StateBuilder.protected32().full(0, 0, GuestFacts.MP_HALTED), simple(KvmExitReason.INTR))
                .get(GUEST_ACTIVITY_STATE).value()).isEqualTo(1);
        assertThat(view(StateBuilder.protected32().full(0, 0, GuestFacts.MP_INIT_RECEIVED), simple(KvmExitReason.INTR))
                .get(GUEST_ACTIVITY_STATE).value()).isEqualTo(3);
        assertThat(view(StateBuilder.protected32().full(0, 0, GuestFacts.MP_UNINITIALIZED), simple(KvmExitReason.INTR))
                .get(GUEST_ACTIVITY_STATE).provenance()).isEqualTo(Provenance.NOT_APPLICABLE);

        FieldValue hlt = view(StateBuilder.protected32(), simple(KvmExitReason.HLT)).get(GUEST_ACTIVITY_STATE);
        assertThat(hlt).extracting(FieldValue::provenance, FieldValue::value).containsExactly(Provenance.DERIVED, 1L);
        assertThat(view(StateBuilder.protected32().full(0, 0, GuestFacts.MP_RUNNABLE), simple(KvmExitReason.HLT))
                .get(GUEST_ACTIVITY_STATE).value()).as("the HLT exit wins over KVM's RUNNABLE").isEqualTo(1);
        assertThat(view(StateBuilder.protected32(), simple(KvmExitReason.SHUTDOWN)).get(GUEST_ACTIVITY_STATE).value()).isEqualTo(2);
        assertThat(view(StateBuilder.protected32(), io).get(GUEST_ACTIVITY_STATE).value()).isZero();
        assertThat(view(StateBuilder.protected32(), simple(KvmExitReason.INTR)).get(GUEST_ACTIVITY_STATE).provenance())
                .as("a kicked vCPU may have been halted in the kernel").isEqualTo(Provenance.NOT_CAPTURED);
        assertThat(BitDecoders.ACTIVITY_STATE.decode(3).summary()).isEqualTo("STATE=wait-for-SIPI");
    }

    @Test
    void vmcsLinkPointerIsAllOnesAndItsHighHalfReadsAsAll32Ones() {
        VmcsFieldView v = view(StateBuilder.protected32(), out(0x3F8, 1, 1, 'H'));
        assertThat(v.get(VMCS_LINK_POINTER)).extracting(FieldValue::provenance, FieldValue::value)
                .containsExactly(Provenance.DERIVED, -1L);
        FieldRef high = VmcsCatalog.byEncoding(0x2801).orElseThrow();
        assertThat(v.get(high).value()).isEqualTo(0xFFFFFFFFL);
        assertThat(v.get(VmcsCatalog.byEncoding(0x2807).orElseThrow()).value()).isZero();
    }

    @Test
    void pdptesMatterOnlyWithPaePaging() {
        KvmExit e = out(0x3F8, 1, 1, 'H');
        assertThat(view(StateBuilder.long64(), e).get(GUEST_PDPTR0).provenance()).isEqualTo(Provenance.NOT_APPLICABLE);
        assertThat(view(StateBuilder.protected32().cr0(0x80000011L).cr4(0x20), e).get(GUEST_PDPTR0).provenance())
                .isEqualTo(Provenance.NOT_CAPTURED);
    }

    @Test
    void hostAndKvmControlFieldsNeverShowAValue() {
        VmcsFieldView v = view(StateBuilder.long64().full(0, 0x400, 0), out(0x3F8, 1, 1, 'H'));
        for (VmcsField f : VmcsCatalog.fields(Area.HOST)) {
            assertThat(v.get(f).provenance()).as(f.name()).isEqualTo(Provenance.NOT_VISIBLE);
            assertThat(v.get(f).note()).as(f.name()).isNotBlank();
        }
        assertThat(v.get(EPT_POINTER).hasValue()).isFalse();
        assertThat(v.get(EXCEPTION_BITMAP).provenance()).isEqualTo(Provenance.NOT_VISIBLE);
        assertThat(v.get(TSC_OFFSET).provenance()).isEqualTo(Provenance.NOT_CAPTURED);
        assertThat(v.get(GUEST_PENDING_DBG_EXCEPTIONS).provenance()).isEqualTo(Provenance.NOT_VISIBLE);
    }

    /** The core honesty rule, over every exit kind at both snapshot levels. */
    @Test
    void noFieldWithoutProvenanceOfAValueEverCarriesOneForAnyExitKind() {
        for (KvmExitReason r : KvmExitReason.values()) {
            for (StateBuilder s : List.of(StateBuilder.real16(), StateBuilder.long64().full(0xFFFF0FF0L, 0x400, 0))) {
                ExitRecord rec = s.exit(Exits.sampleOf(r));
                for (byte[] bytes : new byte[][]{null, Exits.bytes(0xEE), Exits.bytes(0x90)}) {
                    VmcsFieldView v = VmcsFieldView.of(rec, bytes);
                    for (FieldRef ref : VmcsCatalog.encodings()) {
                        FieldValue fv = v.get(ref);
                        assertThat(fv).as(r + " " + ref.name()).isNotNull();
                        if (!fv.hasValue()) {
                            assertThat(fv.value()).as(r + " " + ref.name()).isZero();
                            assertThat(fv.unknownMask()).as(r + " " + ref.name()).isZero();
                            assertThat(fv.note()).as(r + " " + ref.name() + " needs a reason").isNotBlank();
                        }
                        if (ref.field().provenance() == Provenance.NOT_VISIBLE) {
                            assertThat(fv.hasValue()).as(r + " " + ref.name() + " is never visible").isFalse();
                        }
                        if (fv.hasValue()) {
                            assertThat(fv.value() & ~mask(ref.width())).as(r + " " + ref.name() + " fits its width").isZero();
                        }
                    }
                    VmcbFieldView b = VmcbFieldView.of(rec, bytes);
                    for (VmcbField f : VmcbField.values()) {
                        FieldValue fv = b.get(f);
                        if (f.provenance() == Provenance.NOT_VISIBLE) {
                            assertThat(fv.hasValue()).as(r + " VMCB " + f).isFalse();
                        }
                    }
                }
            }
        }
    }

    private static long mask(Width w) {
        return w.bits == 64 ? -1L : (1L << w.bits) - 1;
    }

    @Test
    void realModeGuestLooksLikeOneAfterReset() {
        VmcsFieldView v = view(StateBuilder.real16().rip(0xFFF0), out(0x80, 1, 1, 0));
        assertThat(v.get(GUEST_CS_BASE).value()).isEqualTo(0xF0000);
        assertThat(v.get(GUEST_CS_SELECTOR).value()).isEqualTo(0xF000);
        assertThat(v.get(GUEST_CS_AR_BYTES).value()).isEqualTo(0x9B);
        assertThat(v.decoded(GUEST_CR0).orElseThrow().isSet("PE")).isFalse();
        assertThat(v.record().state().segment(Segment.CS).limit()).isEqualTo(0xFFFF);
    }

    @Test
    void provenanceCountsCoverEveryField() {
        VmcsFieldView v = view(StateBuilder.long64(), out(0x3F8, 1, 1, 'H'));
        int sum = v.provenanceCounts().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(sum).isEqualTo(VmcsField.values().length);
        assertThat(v.provenanceCounts().get(Provenance.CAPTURED)).isGreaterThan(40);
    }
}
