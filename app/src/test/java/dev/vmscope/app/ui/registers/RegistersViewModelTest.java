package dev.vmscope.app.ui.registers;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding and change marks of the register pane, with no toolkit running. */
class RegistersViewModelTest {

    @Test
    void showsTheSelectedExitAndMarksWhatChangedOnTheSameVcpu() {
        ExitStore store = SyntheticExits.fill(1_000, 2, 1_000, 9);
        ExitColumns c = store.columns();
        ExitSelection sel = new ExitSelection();
        sel.setColumns(c);
        RegistersViewModel vm = new RegistersViewModel(sel);
        vm.setSource(store);
        assertThat(vm.rows()).isEmpty();
        long seq = 500;
        sel.select(seq);
        long prev = c.previousOfSameVcpu(seq);
        assertThat(c.vcpu(prev)).isEqualTo(c.vcpu(seq));
        for (long s = prev + 1; s < seq; s++) {
            assertThat(c.vcpu(s)).isNotEqualTo(c.vcpu(seq));
        }
        assertThat(vm.current().seq()).isEqualTo(seq);
        assertThat(vm.previous().seq()).isEqualTo(prev);
        assertThat(vm.titleProperty().get()).contains("vCPU " + c.vcpu(seq)).contains("#" + seq);
        // the synthetic guest's loop counter (RCX) changes at every exit; CR0 never does
        assertThat(vm.row("RCX").changed()).isTrue();
        assertThat(vm.row("RCX").value()).isEqualTo(vm.current().state().rcx() & 0xFFFFFFFFL);
        assertThat(vm.row("CR0").changed()).isFalse();
        assertThat(vm.row("CR0").decoded()).contains("ET").contains("real mode");
        assertThat(vm.row("CS").decoded()).contains("code").contains("exec/read").contains("accessed");
        assertThat(vm.row("DR0–DR7").available()).isFalse();
        assertThat(vm.row("DR0–DR7").note()).contains("fast snapshot");
    }

    @Test
    void valuesFormatInHexOrDecimal() {
        RegisterRow r = RegisterRow.value("RAX", 0x48, 32, "", false);
        assertThat(r.format(true)).isEqualTo("0x00000048");
        assertThat(r.format(false)).isEqualTo("72");
        assertThat(RegisterRow.value("R8", -1, 64, "", false).format(false)).isEqualTo("18446744073709551615");
    }

    @Test
    void snapshotLayoutKeepsTheWordsTheTestsUse() {
        assertThat(StateLayout.RCX).isEqualTo(2);
    }
}
