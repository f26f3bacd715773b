package dev.vmscope.app.ui.registers;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.exit.SegmentState;
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
    void bitsDecodeByName() {
        assertThat(X86Bits.rflags(0x246)).isEqualTo("PF ZF IF");
        assertThat(X86Bits.rflags(0x3002)).isEqualTo("IOPL=3");
        assertThat(X86Bits.cr0(0x80000011L)).startsWith("PE ET PG").endsWith("protected, paging");
        assertThat(X86Bits.cr4(0x20)).isEqualTo("PAE");
        assertThat(X86Bits.efer(0x500)).isEqualTo("LME LMA");
        assertThat(X86Bits.dr7(0x1 | (1L << 16) | (3L << 18))).isEqualTo("DR0 L write 4B");
        assertThat(X86Bits.dr6(1L << 14)).isEqualTo("BS (single step)");
        SegmentState cs64 = new SegmentState(0x8, 0, 0xFFFFFFFFL, 0xB, true, 0, false, true, true, true, false, false);
        assertThat(X86Bits.accessRights(cs64, false)).isEqualTo("code, exec/read, accessed, DPL0, P, 64-bit, 4K granular");
        SegmentState tr = new SegmentState(0x18, 0x1000, 0x67, 0xB, true, 0, false, false, false, false, false, false);
        assertThat(X86Bits.accessRights(tr, true)).startsWith("TSS (busy)");
    }

    @Test
    void snapshotLayoutKeepsTheWordsTheTestsUse() {
        assertThat(StateLayout.RCX).isEqualTo(2);
    }
}
