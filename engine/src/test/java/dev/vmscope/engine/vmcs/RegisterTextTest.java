package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.SegmentState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Register lines in words, named from the same bit tables the VMCS view uses. */
class RegisterTextTest {

    @Test
    void bitsDecodeByName() {
        assertThat(RegisterText.rflags(0x246)).isEqualTo("PF ZF IF");
        assertThat(RegisterText.rflags(0x3002)).isEqualTo("IOPL=3");
        assertThat(RegisterText.cr0(0x80000011L)).startsWith("PE ET PG").endsWith("protected, paging");
        assertThat(RegisterText.cr4(0x20)).isEqualTo("PAE");
        assertThat(RegisterText.cr4(1L << 25 | 1L << 32)).as("the VMCS view's table: UINTR and FRED too")
                .isEqualTo("UINTR FRED");
        assertThat(RegisterText.efer(0x500)).isEqualTo("LME LMA");
        assertThat(RegisterText.dr7(0x1 | (1L << 16) | (3L << 18))).isEqualTo("DR0 L write 4B");
        assertThat(RegisterText.dr6(1L << 14)).isEqualTo("BS (single step)");
        SegmentState cs64 = new SegmentState(0x8, 0, 0xFFFFFFFFL, 0xB, true, 0, false, true, true, true, false, false);
        assertThat(RegisterText.accessRights(cs64, false)).isEqualTo("code, exec/read, accessed, DPL0, P, 64-bit, 4K granular");
        SegmentState tr = new SegmentState(0x18, 0x1000, 0x67, 0xB, true, 0, false, false, false, false, false, false);
        assertThat(RegisterText.accessRights(tr, true)).startsWith("TSS (busy)");
    }
}
