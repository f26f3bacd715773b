package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.SegmentState;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vCPU as a bzImage's 64-bit entry finds it, read back from KVM at the first exit (an OUT to the debug-exit
 * port placed at the entry; a HLT would not exit, the PC machine's in-kernel APIC keeps halted vCPUs): the boot protocol's 64-bit rules — long mode with paging, CS = __BOOT_CS (0x10) a 64-bit code
 * segment, DS/ES/SS = __BOOT_DS (0x18), interrupts off, RSI = the zero page — and the zero page itself.
 */
class LinuxEntryStateTest {
    @Test
    void theEntryRegistersFollowThe64BitBootProtocol() {
        KvmTests.requireKvm();
        byte[] image = LinuxLoaderTest.fakeBzImage();
        int kernelOffset = (image[0x1F1] + 1) * 512;
        image[kernelOffset + 0x200] = (byte) 0xE6;   // out 0xF4, al at the 64-bit entry (startup_64 = load + 0x200)
        image[kernelOffset + 0x201] = (byte) 0xF4;
        GuestRun r = GuestRun.run(GuestSpec.forImage("bz", image).cmdline("console=ttyS0").build());
        assertThat(r.exits()).hasSize(1);
        assertThat(r.exits().get(0).reason()).isEqualTo(KvmExitReason.IO);
        GuestState s = r.exits().get(0).state();
        // at the OUT or just past it, as the host reports I/O exits
        assertThat(s.rip()).isBetween(LinuxLoader.KERNEL_LOAD + 0x200, LinuxLoader.KERNEL_LOAD + 0x202);
        assertThat(s.longMode()).isTrue();
        assertThat(s.cr0() & 0x8000_0001L).as("CR0.PG and CR0.PE").isEqualTo(0x8000_0001L);
        assertThat(s.cr4() & (1 << 5)).as("CR4.PAE").isNotZero();
        assertThat(s.efer() & 0x500).as("EFER.LME and EFER.LMA").isEqualTo(0x500);
        assertThat(s.rflags() & (1 << 9)).as("RFLAGS.IF: interrupts off").isZero();
        assertThat(s.rsi()).as("RSI = struct boot_params").isEqualTo(LinuxLoader.ZERO_PAGE);
        SegmentState cs = s.segment(Segment.CS);
        assertThat(cs.selector()).isEqualTo(0x10);
        assertThat(cs.l()).as("CS.L: 64-bit code").isTrue();
        assertThat(cs.db()).isFalse();
        assertThat(cs.type() & 0x8).as("a code segment").isNotZero();
        for (Segment seg : new Segment[]{Segment.DS, Segment.ES, Segment.SS}) {
            assertThat(s.segment(seg).selector()).as("%s = __BOOT_DS", seg).isEqualTo(0x18);
            assertThat(s.segment(seg).type() & 0x8).as("%s a data segment", seg).isZero();
        }
        assertThat(s.codeBits()).isEqualTo(64);
    }
}
