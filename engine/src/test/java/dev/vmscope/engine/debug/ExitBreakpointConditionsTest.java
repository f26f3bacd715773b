package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.config.GuestConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each breakpoint condition against synthetic exits laid out as the vCPU thread captures them (the kvm_run
 * union words), so every kind is checked both ways without a guest that happens to cause it: MMIO address
 * and direction, MSR index and read/write, RIP range, vCPU and the hit count.
 */
class ExitBreakpointConditionsTest {
    private static CapturedExit exit(KvmExitReason reason, int vcpu, long rip) {
        CapturedExit e = new CapturedExit();
        e.rawReason = reason.code;
        e.vcpu = vcpu;
        e.state[StateLayout.RIP] = rip;
        return e;
    }

    /** kvm_run.io: direction (1 = out), size, port, count in word 0. */
    private static CapturedExit io(int port, boolean out) {
        CapturedExit e = exit(KvmExitReason.IO, 0, 0x1000);
        e.payload[0] = (out ? 1 : 0) | (1L << 8) | ((long) port << 16) | (1L << 32);
        return e;
    }

    /** kvm_run.mmio: phys_addr, data[8], then len and is_write in word 2. */
    private static CapturedExit mmio(long address, boolean write) {
        CapturedExit e = exit(KvmExitReason.MMIO, 0, 0x1000);
        e.payload[0] = address;
        e.payload[1] = 0x5A;
        e.payload[2] = 4 | ((write ? 1L : 0L) << 32);
        return e;
    }

    /** kvm_run.msr: error, then reason (FILTER = 4) and index in word 1, data in word 2. */
    private static CapturedExit msr(long index, boolean write) {
        CapturedExit e = exit(write ? KvmExitReason.X86_WRMSR : KvmExitReason.X86_RDMSR, 0, 0x1000);
        e.payload[1] = 4 | (index << 32);
        e.payload[2] = 8;
        return e;
    }

    private static ExitBreakpoint bp(String spec) {
        return ExitBreakpoint.parse(1, spec);
    }

    @Test
    void theSyntheticExitsDecodeAsTheExitsTheyStandFor() {
        // guards the helpers: if the word layout were wrong, every test below would test nothing
        assertThat(mmio(0xD0000020L, true).decodeExit().detail()).isEqualTo("write 0xd0000020 len 4 = 0x5a");
        assertThat(msr(0x174, true).decodeExit().detail()).isEqualTo("wrmsr msr 0x174 = 0x8");
        assertThat(msr(0xC0000080L, false).decodeExit().detail()).isEqualTo("rdmsr msr 0xc0000080 -> 0x8");
        assertThat(io(0x3F8, true).decodeExit().detail()).startsWith("out 0x3f8 size 1");
    }

    @Test
    void mmioAddressRangeIsInclusiveAtBothEnds() {
        ExitBreakpoint b = bp("MMIO addr=0xd0000000-0xd0000fff");
        assertThat(b.matches(mmio(0xD0000000L, true))).isTrue();
        assertThat(b.matches(mmio(0xD0000FFFL, false))).isTrue();
        assertThat(b.matches(mmio(0xD0000020L, true))).isTrue();
        assertThat(b.matches(mmio(0xCFFFFFFFL, true))).isFalse();
        assertThat(b.matches(mmio(0xD0001000L, true))).isFalse();
    }

    @Test
    void mmioSingleAddressUnderItsSdmName() {
        ExitBreakpoint b = bp("EPT_VIOLATION addr=0xd0000020");
        assertThat(b.matches(mmio(0xD0000020L, false))).isTrue();
        assertThat(b.matches(mmio(0xD0000024L, false))).isFalse();
        assertThat(b.matches(io(0x3F8, true))).as("another reason").isFalse();
    }

    @Test
    void mmioDirectionSeparatesReadsFromWrites() {
        assertThat(bp("MMIO write").matches(mmio(0xD0000000L, true))).isTrue();
        assertThat(bp("MMIO write").matches(mmio(0xD0000000L, false))).isFalse();
        assertThat(bp("MMIO read").matches(mmio(0xD0000000L, false))).isTrue();
        assertThat(bp("MMIO read").matches(mmio(0xD0000000L, true))).isFalse();
        // address and direction together: both must hold
        ExitBreakpoint both = bp("MMIO addr=0xd0000020 read");
        assertThat(both.matches(mmio(0xD0000020L, false))).isTrue();
        assertThat(both.matches(mmio(0xD0000020L, true))).isFalse();
        assertThat(both.matches(mmio(0xD0000000L, false))).isFalse();
    }

    @Test
    void msrIndexMatchesReadsAndWritesOfThatMsrOnly() {
        ExitBreakpoint b = bp("MSR index=0x174");
        assertThat(b.matches(msr(0x174, true))).isTrue();
        assertThat(b.matches(msr(0x174, false))).isTrue();
        assertThat(b.matches(msr(0x175, true))).isFalse();
        assertThat(b.matches(msr(0x10, false))).isFalse();
        ExitBreakpoint range = bp("MSR index=0x174-0x175");
        assertThat(range.matches(msr(0x175, false))).isTrue();
        assertThat(range.matches(msr(0x176, false))).isFalse();
    }

    @Test
    void msrIndicesAboveTwoToThe31MatchAsUnsigned() {
        // EFER is 0xC0000080: the captured index is an int, negative as a Java value
        ExitBreakpoint b = bp("RDMSR index=0xc0000080");
        assertThat(b.matches(msr(0xC0000080L, false))).isTrue();
        assertThat(b.matches(msr(0xC0000081L, false))).isFalse();
        assertThat(bp("MSR index=0xc0000000-0xc0000fff").matches(msr(0xC0000080L, true))).isTrue();
    }

    @Test
    void msrReadAndWriteByConditionOrByReason() {
        assertThat(bp("MSR write").matches(msr(0x174, true))).isTrue();
        assertThat(bp("MSR write").matches(msr(0x174, false))).isFalse();
        assertThat(bp("MSR read").matches(msr(0x174, false))).isTrue();
        assertThat(bp("MSR read").matches(msr(0x174, true))).isFalse();
        assertThat(bp("MSR_WRITE").matches(msr(0x10, true))).isTrue();
        assertThat(bp("MSR_WRITE").matches(msr(0x10, false))).isFalse();
        assertThat(bp("MSR_READ index=0x10").matches(msr(0x10, false))).isTrue();
        assertThat(bp("RDMSR index=0x10").matches(msr(0x10, true))).isFalse();
        assertThat(bp("WRMSR").matches(msr(0x10, true))).isTrue();
    }

    @Test
    void ripRangeIsInclusiveAndAppliesToEveryReason() {
        ExitBreakpoint b = bp("IO rip=0x1000-0x10ff");
        CapturedExit e = io(0x3F8, true);
        for (long rip : new long[]{0x1000, 0x1080, 0x10FF}) {
            e.state[StateLayout.RIP] = rip;
            assertThat(b.matches(e)).as("rip 0x%x", rip).isTrue();
        }
        for (long rip : new long[]{0xFFF, 0x1100, 0xFFFFFFFF81001000L}) {
            e.state[StateLayout.RIP] = rip;
            assertThat(b.matches(e)).as("rip 0x%x", rip).isFalse();
        }
        // a reason without payload conditions is still filtered by RIP
        ExitBreakpoint hlt = bp("HLT rip=0x1075");
        assertThat(hlt.matches(exit(KvmExitReason.HLT, 0, 0x1075))).isTrue();
        assertThat(hlt.matches(exit(KvmExitReason.HLT, 0, 0x1076))).isFalse();
    }

    @Test
    void vcpuConditionPicksOneVcpu() {
        ExitBreakpoint b = bp("HLT vcpu=1");
        assertThat(b.matches(exit(KvmExitReason.HLT, 1, 0x1040))).isTrue();
        assertThat(b.matches(exit(KvmExitReason.HLT, 0, 0x1040))).isFalse();
        assertThat(b.matches(exit(KvmExitReason.HLT, 2, 0x1040))).isFalse();
        // combined with a port: vCPU 1's serial writes only
        ExitBreakpoint io = bp("IO port=0x3f8 cpu=1");
        CapturedExit mine = io(0x3F8, true);
        mine.vcpu = 1;
        assertThat(io.matches(mine)).isTrue();
        assertThat(io.matches(io(0x3F8, true))).as("same exit on vCPU 0").isFalse();
    }

    @Test
    void hitCountIgnoresTheFirstNMinusOneMatchesOnly() {
        ExitBreakpoint b = bp("MMIO write hit=3");
        CapturedExit write = mmio(0xD0000000L, true);
        CapturedExit read = mmio(0xD0000000L, false);
        assertThat(b.shouldStop(write)).isFalse();
        assertThat(b.shouldStop(read)).as("no match, no count").isFalse();
        assertThat(b.shouldStop(write)).isFalse();
        assertThat(b.matches()).isEqualTo(2);
        assertThat(b.shouldStop(write)).as("third match").isTrue();
        assertThat(b.shouldStop(write)).as("and every one after, like gdb's ignore count").isTrue();
        assertThat(b.matches()).isEqualTo(4);
        // no hit= stops at the first match
        assertThat(bp("MMIO write").shouldStop(write)).isTrue();
    }

    @Test
    void aDisabledBreakpointNeitherStopsNorCounts() {
        ExitBreakpoint b = bp("MSR index=0x174");
        b.setEnabled(false);
        assertThat(b.shouldStop(msr(0x174, true))).isFalse();
        assertThat(b.matches()).isZero();
        b.setEnabled(true);
        assertThat(b.shouldStop(msr(0x174, true))).isTrue();
        assertThat(b.matches()).isEqualTo(1);
    }

    @Test
    void payloadConditionsNeverMatchAnExitThatHasNoSuchPayload() {
        // ANY takes every reason: a port condition must still leave MMIO, MSR and HLT exits alone
        ExitBreakpoint port = bp("ANY port=0x3f8");
        assertThat(port.matches(io(0x3F8, true))).isTrue();
        assertThat(port.matches(io(0x80, true))).isFalse();
        assertThat(port.matches(mmio(0xD0000000L, true))).isFalse();
        assertThat(port.matches(msr(0x174, true))).isFalse();
        assertThat(port.matches(exit(KvmExitReason.HLT, 0, 0x1000))).isFalse();
        ExitBreakpoint addr = bp("ANY addr=0xd0000000-0xd0000fff");
        assertThat(addr.matches(mmio(0xD0000010L, true))).isTrue();
        assertThat(addr.matches(io(0x3F8, true))).isFalse();
        assertThat(addr.matches(msr(0x174, true))).isFalse();
        ExitBreakpoint index = bp("ANY index=0x174");
        assertThat(index.matches(msr(0x174, false))).isTrue();
        assertThat(index.matches(io(0x3F8, true))).isFalse();
        assertThat(index.matches(mmio(0xD0000000L, true))).isFalse();
        // a direction alone is a payload condition too: HLT and INTR (a pause's own exit) have none
        ExitBreakpoint out = bp("ANY out");
        assertThat(out.matches(io(0x3F8, true))).isTrue();
        assertThat(out.matches(io(0x3F8, false))).isFalse();
        assertThat(out.matches(mmio(0xD0000000L, true))).isTrue();
        assertThat(out.matches(exit(KvmExitReason.HLT, 0, 0x1000))).isFalse();
        assertThat(out.matches(exit(KvmExitReason.INTR, 0, 0x1000))).isFalse();
        assertThat(bp("ANY").matches(exit(KvmExitReason.HLT, 0, 0x1000))).isTrue();
    }

    @Test
    void badConditionsAreRejectedWithTheWordThatIsWrong() {
        assertThatThrownBy(() -> bp("MMIO addr=0xd0000fff-0xd0000000")).isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("addr range 0xd0000fff-0xd0000000 is empty");
        assertThatThrownBy(() -> bp("MSR sideways")).isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("'sideways'");
        assertThatThrownBy(() -> bp("MSR colour=red")).isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("unknown breakpoint condition 'colour'");
        assertThatThrownBy(() -> bp("WARP")).isInstanceOf(GuestConfigException.class)
                .hasMessageContaining("unknown exit reason 'WARP'");
    }
}
