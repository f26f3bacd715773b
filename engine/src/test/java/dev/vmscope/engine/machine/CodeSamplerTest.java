package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.trace.CodePage;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.MachineInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which pages a recording keeps, on snapshot words made here (no KVM needed): the pages the 15 bytes either
 * side of CS:RIP touch, by linear address — real mode with a CS base that is not page-aligned, a later exit
 * near a page edge, 64-bit code in the upper half of the address space (unsigned addresses), and 32-bit
 * code wrapping at 4 GiB.
 */
class CodeSamplerTest {
    private final GuestMemory memory = new GuestMemory(16L << 20);
    private final ExitStore store = new ExitStore(new MachineInfo("t", "00", 1, memory.size(), "real", "fast", "-",
            "-", 0));
    private final CodeSampler sampler = new CodeSampler(store, memory);
    private final CapturedExit exit = new CapturedExit();
    private long seq;

    @AfterEach
    void close() {
        memory.close();
    }

    private void at(long rip) {
        exit.state[StateLayout.RIP] = rip;
        exit.seq = seq++;
        sampler.sample(exit);
    }

    private void realMode(long csBase) {
        int cs = StateLayout.segmentWord(Segment.CS);
        exit.state[cs] = csBase;
        exit.state[StateLayout.CR0] = 0x10;
    }

    private long[] keptPages() {
        return store.codePages().all().stream().mapToLong(CodePage::linearPage).sorted().toArray();
    }

    @Test
    void realModePagesAreLinearAndANearEdgeExitLaterKeepsTheNextPage() {
        realMode(0x7C00);                        // jmp 0x07C0:0 — CS base not a page multiple
        memory.writeByte(0x7D00, 0xAA);
        at(0x100);                               // linear 0x7D00: page 7 only
        assertThat(keptPages()).containsExactly(7);
        assertThat(store.codePages().all().get(0).bytes()[0xD00]).isEqualTo((byte) 0xAA);
        at(0x500);                               // same raw IP page, linear 0x8100: page 8
        assertThat(keptPages()).containsExactly(7, 8);
        at(0x13FC);                              // linear 0x8FFC: the instruction may run into page 9
        assertThat(keptPages()).containsExactly(7, 8, 9);
        at(0x13F0);                              // page 8, its next page already kept: nothing more
        assertThat(store.codePages().size()).isEqualTo(3);
    }

    @Test
    void sixtyFourBitCodeInTheUpperHalfKeepsJustItsPages() {
        // 4-level tables: linear 0xffffffff81000000 (PML4 511, PDPT 510, PD 8) -> a 2 MiB page at physical 2 MiB
        memory.writeLong(0x1000 + 511 * 8, 0x2000 | 3);
        memory.writeLong(0x2000 + 510 * 8, 0x3000 | 3);
        memory.writeLong(0x3000 + 8 * 8, 0x200000 | 0x80 | 3);
        memory.writeByte(0x200FFE, 0x0F);
        memory.writeByte(0x200FFF, 0x0B);
        memory.writeByte(0x201000, 0xCC);
        long[] w = exit.state;
        w[StateLayout.CR0] = 0x8000_0011L;
        w[StateLayout.CR3] = 0x1000;
        w[StateLayout.CR4] = 1 << 5;
        w[StateLayout.EFER] = 0x500;
        w[StateLayout.segmentWord(Segment.CS) + 2] = 1L << 24;   // CS.L
        at(0xffff_ffff_8100_0ffeL);              // ud2 at the end of a page
        long first = 0xffff_ffff_8100_0ffeL >>> 12;
        assertThat(keptPages()).containsExactly(first, first + 1);
        CodePage p = store.codePages().all().get(0);
        assertThat(p.space()).isEqualTo(0x1000);
        assertThat(p.bytes()[0xFFE]).isEqualTo((byte) 0x0F);
        var replayed = store.codePages().readLinear(new dev.vmscope.engine.exit.GuestState(w),
                0xffff_ffff_8100_0ffeL, 3);
        assertThat(replayed).containsExactly(0x0F, 0x0B, 0xCC);
    }

    @Test
    void pagesPastEitherEndOfTheAddressSpaceAreNotLookedFor() {
        long[] w = exit.state;
        w[StateLayout.CR0] = 0x11;               // 32-bit protected mode, no paging
        w[StateLayout.segmentWord(Segment.CS) + 2] = 1L << 8;    // CS.D
        at(0xFFFF_FFF8L);                        // the last page and, wrapping, the first; the last one lies
        assertThat(keptPages()).containsExactly(0);   // outside this guest's 16 MiB, so only page 0 is kept
        assertThat(CodeSampler.page(0xFFFF_FFFF_FFFF_FFF8L, 15, true)).as("past the top of 64-bit space")
                .isEqualTo(Long.MIN_VALUE);
        assertThat(CodeSampler.page(4, -15, true)).as("below 0").isEqualTo(Long.MIN_VALUE);
    }
}
