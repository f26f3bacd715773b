package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static dev.vmscope.engine.vmcs.VmcbField.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The same exits as an AMD VMCB. */
class VmcbFieldViewTest {

    @Test
    void offsetsFollowTheApmLayoutAndDoNotOverlap() {
        assertThat(EXIT_CODE.offset()).isEqualTo(0x70);
        assertThat(EXIT_INFO_1.offset()).isEqualTo(0x78);
        assertThat(EXIT_INFO_2.offset()).isEqualTo(0x80);
        assertThat(NEXT_RIP.offset()).isEqualTo(0xC8);
        assertThat(ES_SELECTOR.offset()).isEqualTo(0x400);
        assertThat(CS_ATTRIB.offset()).isEqualTo(0x412);
        assertThat(TR_BASE.offset()).isEqualTo(0x498);
        assertThat(CPL.offset()).isEqualTo(0x4CB);
        assertThat(EFER.offset()).isEqualTo(0x4D0);
        assertThat(CR0.offset()).isEqualTo(0x558);
        assertThat(RIP.offset()).isEqualTo(0x578);
        assertThat(RSP.offset()).isEqualTo(0x5D8);
        assertThat(RAX.offset()).isEqualTo(0x5F8);
        assertThat(CR2.offset()).isEqualTo(0x640);
        assertThat(G_PAT.offset()).isEqualTo(0x668);
        assertThat(RIP.location()).isEqualTo("0x400+0x178");
        Set<Integer> bytes = new HashSet<>();
        for (VmcbField f : VmcbField.values()) {
            assertThat(f.area() == VmcbField.Area.SAVE).as(f.name()).isEqualTo(f.offset() >= VmcbField.SAVE_AREA);
            assertThat(f.description()).as(f.name()).isNotBlank();
            assertThat(f.source().text()).as(f.name()).isNotBlank();
            for (int b = f.offset(); b < f.offset() + f.size(); b++) {
                assertThat(bytes.add(b)).as(f.name() + " overlaps at 0x" + Integer.toHexString(b)).isTrue();
            }
        }
    }

    @Test
    void segmentsUseSvmAttributesAndUnusableSegmentsLoseP() {
        VmcbFieldView v = VmcbFieldView.of(StateBuilder.protected32().exit(Exits.out(0x3F8, 1, 1, 'H')));
        assertThat(v.get(CS_ATTRIB).value()).as("type B, S, P, DB (bit 10), G (bit 11)").isEqualTo(0xC9B);
        Decoded cs = v.decoded(CS_ATTRIB).orElseThrow();
        assertThat(cs.isSet("DB")).isTrue();
        assertThat(cs.isSet("G")).isTrue();
        StateBuilder s = StateBuilder.protected32();
        s.segment(Segment.FS, 0, 0, 0xFFFFFFFFL, 0x3, true, 0, true, true, false, true, true);
        assertThat(VmcbFieldView.of(s.exit(Exits.out(0x3F8, 1, 1, 'H'))).get(FS_ATTRIB).value() & 0x80).isZero();
        assertThat(v.get(CS_SELECTOR).value()).isEqualTo(8);
        assertThat(v.get(CS_LIMIT).value()).isEqualTo(0xFFFFFFFFL);
    }

    @Test
    void eferCarriesSvmeAndCplComesFromSsDpl() {
        VmcbFieldView v = VmcbFieldView.of(StateBuilder.long64().exit(Exits.out(0x3F8, 1, 1, 'H')));
        assertThat(v.get(EFER)).extracting(FieldValue::provenance, FieldValue::value).containsExactly(Provenance.DERIVED, 0x1500L);
        assertThat(v.decoded(EFER).orElseThrow().summary()).isEqualTo("LME LMA SVME");
        assertThat(v.get(CPL).value()).isZero();
        assertThat(VmcbFieldView.of(StateBuilder.real16().exit(Exits.out(0x80, 1, 1, 0))).get(CPL).note()).contains("real mode");
    }

    @Test
    void exitFieldsMatchTheMappedExit() {
        VmcbFieldView v = VmcbFieldView.of(StateBuilder.protected32().rip(0x1000).exit(new KvmExit.Mmio(0xD0000000L, 4, false, 0)), Exits.bytes(0x8B, 0x03));
        assertThat(v.get(EXIT_CODE).value()).isEqualTo(0x400);
        assertThat(v.get(EXIT_INFO_2).value()).isEqualTo(0xD0000000L);
        assertThat(v.get(INSN_LEN).value()).isEqualTo(2);
        Decoded npf = v.decoded(EXIT_INFO_1).orElseThrow();
        assertThat(npf.isSet("RW")).isFalse();
        assertThat(npf.isSet("US")).isTrue();
        assertThat(npf.isSet("FINAL")).isTrue();
        assertThat(npf.isKnown("P")).isFalse();

        VmcbFieldView io = VmcbFieldView.of(StateBuilder.protected32().rip(0x1000).exit(Exits.out(0x3F8, 1, 1, 'H')), Exits.bytes(0xEE));
        Decoded ioio = io.decoded(EXIT_INFO_1).orElseThrow();
        assertThat(ioio.part("PORT").orElseThrow().valueText()).isEqualTo("0x3F8");
        assertThat(ioio.isSet("SZ8")).isTrue();
        assertThat(ioio.isSet("A32")).isTrue();
        assertThat(ioio.isSet("STR")).isFalse();

        VmcbFieldView shutdown = VmcbFieldView.of(StateBuilder.protected32().exit(Exits.simple(KvmExitReason.SHUTDOWN)));
        assertThat(shutdown.get(EXIT_CODE).value()).isEqualTo(0x7F);
        assertThat(shutdown.get(EXIT_INFO_1).provenance()).isEqualTo(Provenance.NOT_APPLICABLE);
    }

    @Test
    void intStateHasOneShadowBitAndMsrsNeedTheFullLevel() {
        VmcbFieldView fast = VmcbFieldView.of(StateBuilder.protected32().interruptShadow(1).exit(Exits.out(0x3F8, 1, 1, 'H')));
        assertThat(fast.get(INT_STATE).value()).isEqualTo(1);
        assertThat(fast.get(LSTAR).provenance()).isEqualTo(Provenance.NOT_CAPTURED);
        assertThat(fast.get(DR6).provenance()).isEqualTo(Provenance.NOT_CAPTURED);
        VmcbFieldView full = VmcbFieldView.of(StateBuilder.long64().full(0xFFFF0FF0L, 0x400, 0).msr(Msr.LSTAR, 0xFFFFFFFF81000000L)
                .exit(Exits.out(0x3F8, 1, 1, 'H')));
        assertThat(full.get(LSTAR).value()).isEqualTo(0xFFFFFFFF81000000L);
        assertThat(full.get(DR6).value()).isEqualTo(0xFFFF0FF0L);
        assertThat(full.get(NESTED_CR3).provenance()).isEqualTo(Provenance.NOT_VISIBLE);
        assertThat(full.rows()).hasSize(VmcbField.values().length);
    }
}
