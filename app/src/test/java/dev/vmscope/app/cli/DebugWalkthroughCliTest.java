package dev.vmscope.app.cli;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code debug SAMPLE --walkthrough}: the tour played as the window plays it, one line per step, and with
 * {@code --record} a trace that holds each step's exit (the #DB exits of hardware breakpoints, the MSR exits of
 * a trap-msrs tour). Anything but a sample with a walkthrough is refused in one line.
 */
class DebugWalkthroughCliTest {
    @TempDir
    Path tmp;

    @Test
    void longmodesTourStopsAtBothHardwareBreakpointsAndTheRecordingHoldsTheirExits() throws Exception {
        CliCommandsTest.requireKvm();
        Path trace = tmp.resolve("longmode.vmtrace");
        var r = CliErrorsTest.vmscope("debug", CliCommandsTest.sample("longmode").toString(), "--walkthrough",
                "--record", trace.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("step "))).containsExactly(
                "step 1/5 'Before the first instruction' (at: start): paused before the first instruction",
                "step 2/5 'Paging on, still 16-bit code' (at: exec 0x105d): paused at exit #0 on vCPU 0"
                        + " (breakpoint 1: exit DEBUG rip=0x105d)",
                "step 3/5 'The first 64-bit instruction' (at: exec 0x1062): paused at exit #1 on vCPU 0"
                        + " (breakpoint 3: exit DEBUG rip=0x1062)",
                "step 4/5 'The first exit the guest makes itself' (at: IO port=0x3f8 out): paused at exit #2 on"
                        + " vCPU 0 (breakpoint 5: exit IO port=0x3f8 out)",
                "step 5/5 'HLT in long mode' (at: end): finished: HALTED — every vCPU halted");
        ExitSource src = TraceReader.open(trace).source();
        assertThat(src.get(0).exit()).isInstanceOfSatisfying(KvmExit.Debug.class, d -> assertThat(d.pc()).isEqualTo(0x105d));
        assertThat(src.get(1).exit()).isInstanceOfSatisfying(KvmExit.Debug.class, d -> assertThat(d.pc()).isEqualTo(0x1062));
        assertThat(src.breakpointHits()).hasSize(3);
    }

    @Test
    void theMsrTourTrapsMsrsAsItsOptionsSay() {
        CliCommandsTest.requireKvm();
        var r = CliErrorsTest.vmscope("debug", CliCommandsTest.sample("msr").toString(), "--walkthrough");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(at: RDMSR index=0x10): paused at exit #0 on vCPU 0 (breakpoint 1: exit RDMSR"
                + " index=0x10)").doesNotContain("not where the step says");
    }

    @Test
    void aGuestWithoutAWalkthroughIsRefusedInOneLine() throws Exception {
        Path hlt = java.nio.file.Files.write(tmp.resolve("hlt.bin"), new byte[] {(byte) 0xF4});
        var r = CliErrorsTest.vmscope("debug", hlt.toString(), "--walkthrough");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("vmscope: --walkthrough needs a sample directory with a walkthrough.txt: "
                + hlt);
    }
}
