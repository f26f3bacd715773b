package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Differences between two exits of a vCPU, field by field. */
class VmcsDiffTest {

    @Test
    void twoOutsAtDifferentRipDifferInRipRaxAndNothingElseInTheGuestArea() {
        VmcsFieldView a = VmcsFieldView.of(StateBuilder.protected32().rip(0x1000).rax(0x48).exit(1, 0, Exits.out(0x3F8, 1, 1, 'H')), Exits.bytes(0xEE));
        VmcsFieldView b = VmcsFieldView.of(StateBuilder.protected32().rip(0x1004).rax(0x65).exit(2, 0, Exits.out(0x3F8, 1, 1, 'e')), Exits.bytes(0xEE));
        List<FieldChange> changes = VmcsDiff.between(a, b);
        assertThat(changes).extracting(FieldChange::field).containsExactly(VmcsField.GUEST_RIP);
        FieldChange rip = changes.get(0);
        assertThat(rip.before().value()).isEqualTo(0x1000);
        assertThat(rip.after().value()).isEqualTo(0x1004);
        assertThat(rip.text()).isEqualTo("GUEST_RIP 0x0000000000001000 -> 0x0000000000001004");
    }

    @Test
    void exitReasonQualificationAndActivityChangeFromAnOutToAHlt() {
        VmcsFieldView out = VmcsFieldView.of(StateBuilder.protected32().rip(0x1000).exit(1, 0, Exits.out(0x3F8, 1, 1, 'H')), Exits.bytes(0xEE));
        VmcsFieldView hlt = VmcsFieldView.of(StateBuilder.protected32().rip(0x1002).exit(2, 0, Exits.simple(KvmExitReason.HLT)));
        List<FieldChange> changes = VmcsDiff.between(out, hlt);
        assertThat(changes).extracting(FieldChange::field).contains(VmcsField.VM_EXIT_REASON, VmcsField.EXIT_QUALIFICATION,
                VmcsField.GUEST_ACTIVITY_STATE, VmcsField.GUEST_RIP);
        assertThat(changes).extracting(FieldChange::field).doesNotContain(VmcsField.HOST_RIP, VmcsField.GUEST_CS_AR_BYTES,
                VmcsField.VM_EXIT_INSTRUCTION_LEN); // both 1 byte
        assertThat(VmcsDiff.between(out, hlt, Set.of(Area.GUEST))).extracting(FieldChange::field)
                .containsExactlyInAnyOrder(VmcsField.GUEST_ACTIVITY_STATE, VmcsField.GUEST_RIP);
        assertThat(VmcsDiff.render(changes)).contains("0x4402").contains("VM_EXIT_REASON").contains("0x0000001E -> 0x0000000C");
    }

    @Test
    void aValueAppearingOrItsUnknownBitsChangingIsADifference() {
        VmcsFieldView fast = VmcsFieldView.of(StateBuilder.protected32().exit(Exits.out(0x3F8, 1, 1, 'H')));
        VmcsFieldView full = VmcsFieldView.of(StateBuilder.protected32().full(0, 0x400, 0).exit(Exits.out(0x3F8, 1, 1, 'H')), Exits.bytes(0xEE));
        List<FieldChange> changes = VmcsDiff.between(fast, full);
        assertThat(changes).extracting(FieldChange::field).contains(VmcsField.GUEST_DR7, VmcsField.GUEST_IA32_PAT,
                VmcsField.EXIT_QUALIFICATION, VmcsField.VM_EXIT_INSTRUCTION_LEN);
        assertThat(VmcsDiff.between(fast, fast)).isEmpty();
    }

    @Test
    void previousExitOfTheSameVcpu() {
        List<ExitRecord> records = List.of(
                StateBuilder.protected32().exit(1, 0, Exits.out(0x3F8, 1, 1, 'a')),
                StateBuilder.protected32().exit(2, 1, Exits.out(0x3F8, 1, 1, 'b')),
                StateBuilder.protected32().exit(3, 0, Exits.out(0x3F8, 1, 1, 'c')));
        assertThat(VmcsDiff.previousOnSameVcpu(records, 2)).get().extracting(ExitRecord::seq).isEqualTo(1L);
        assertThat(VmcsDiff.previousOnSameVcpu(records, 1)).isEmpty();
    }
}
