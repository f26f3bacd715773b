package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.testing.MiniJson;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The command-line table and the JSON the lead wires to {@code vmscope vmcs}. */
class RenderersTest {
    private static final ExitRecord OUT = StateBuilder.protected32().rip(0x1000).exit(Exits.out(0x3F8, 1, 1, 'H'));

    @Test
    void tableShowsEncodingNameWidthValueDecodedAndProvenance() {
        String t = ViewText.vmcs(VmcsFieldView.of(OUT, Exits.bytes(0xEE)));
        assertThat(t).contains("KVM IO -> VMX 30 IO_INSTRUCTION, SVM 0x7B IOIO");
        assertThat(t).containsPattern("0x4816 +GUEST_CS_AR_BYTES +32-bit +0x0000C09B +TYPE=0xB code readable accessed S DPL=0 P DB G +captured");
        assertThat(t).containsPattern("0x6400 +EXIT_QUALIFICATION +natural +0x0000000003F80000 +PORT=0x3F8 SIZE=1 byte DIR=OUT OPERAND=DX +derived");
        assertThat(t).containsPattern("0x6C16 +HOST_RIP +natural +— +not visible: KVM's host");
        assertThat(t).contains("== control ==").contains("== exit information ==").contains("== guest state ==").contains("== host state ==");
    }

    @Test
    void tableCanBeFilteredByAreaAndShowHighHalvesAndSources() {
        VmcsFieldView v = VmcsFieldView.of(OUT);
        String guest = ViewText.vmcs(v, Set.of(Area.GUEST), false, false);
        assertThat(guest).contains("GUEST_RIP").doesNotContain("HOST_RIP").doesNotContain("EXIT_QUALIFICATION")
                .doesNotContain("VMCS_LINK_POINTER_HIGH");
        String high = ViewText.vmcs(v, Set.of(Area.GUEST), true, true);
        assertThat(high).containsPattern("0x2801 +VMCS_LINK_POINTER_HIGH +32-bit +0xFFFFFFFF");
        assertThat(high).contains("captured: kvm_regs.rip");
        assertThat(ViewText.vmcs(v, Set.of(Area.EXIT_INFO), false, false)).contains("0x0000000003F800?0");
    }

    @Test
    void headerSaysWhenThereIsNoVmxEquivalent() {
        ExitRecord r = StateBuilder.protected32().exit(Exits.sampleOf(KvmExitReason.SYSTEM_EVENT));
        assertThat(ViewText.vmcs(VmcsFieldView.of(r))).contains("no VMX equivalent: KVM reports a platform event");
    }

    @Test
    void jsonIsWellFormedForEveryExitKindAndBothViews() {
        for (KvmExitReason kind : KvmExitReason.values()) {
            ExitRecord r = StateBuilder.long64().full(0xFFFF0FF0L, 0x400, 0).exit(Exits.sampleOf(kind));
            MiniJson.parse(ViewJson.vmcs(VmcsFieldView.of(r), Set.of(Area.values()), true));
            MiniJson.parse(ViewJson.vmcb(VmcbFieldView.of(r)));
        }
    }

    @Test
    void jsonCarriesValuesAsHexAndMissingValuesAsNullWithTheReason() {
        String j = ViewJson.vmcs(VmcsFieldView.of(OUT));
        assertThat(j).contains("\"view\": \"vmcs\"");
        assertThat(j).contains("\"vmx\": {\"reason\": 30, \"name\": \"IO_INSTRUCTION\"}");
        assertThat(j).contains("{\"encoding\": \"0x681E\", \"name\": \"GUEST_RIP\", \"area\": \"guest state\", \"width\": \"natural\", "
                + "\"provenance\": \"captured\", \"value\": \"0x1000\"");
        assertThat(j).contains("\"name\": \"HOST_RIP\", \"area\": \"host state\", \"width\": \"natural\", \"provenance\": \"not visible\", \"value\": null");
        assertThat(j).contains("\"value\": \"0x3f80000\", \"unknownMask\": \"0x70\"");
        assertThat(j).contains("\"name\": \"STRING\", \"known\": false, \"value\": null");
        assertThat(j).contains("\"explanations\": [");
    }

    @Test
    void valueFormatMarksUnknownNibbles() {
        assertThat(ValueFormat.hex(FieldValue.derived(0x03F80000, 0x70, "x"), 32)).isEqualTo("0x03F800?0");
        assertThat(ValueFormat.hex(FieldValue.captured(0xC09B, "x"), 32)).isEqualTo("0x0000C09B");
        assertThat(ValueFormat.hex(FieldValue.notVisible("x"), 32)).isEqualTo(ValueFormat.NONE);
    }
}
