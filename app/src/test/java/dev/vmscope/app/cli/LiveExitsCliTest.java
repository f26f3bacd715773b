package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, defect 5 on the command line: {@code --live-exits} bounds a live run's memory, says so once, and
 * {@code vmcs} shows an exit that moved to the temporary file exactly as it shows one still in memory;
 * {@code --live-kernel-events} does the same for kernel events.
 */
class LiveExitsCliTest {
    @TempDir
    Path tmp;

    @Test
    void vmcsReadsAnExitOlderThanTheBoundAsIfItWereInMemory() throws Exception {
        CliCommandsTest.requireKvm();
        // mov dx,0x3f8 ; l: out dx,al ; inc al ; jmp l   — floods the UART
        Path flood = Files.write(tmp.resolve("flood.bin"), HexFormat.of().parseHex("BAF803EEFEC0EBFB"));
        String[] args = {"vmcs", flood.toString(), "--exit", "10", "--diff", "200000"};
        var bounded = CliErrorsTest.vmscope(concat(args, "--live-exits", "65536"));
        var unbounded = CliErrorsTest.vmscope(args);
        assertThat(bounded.code()).as(bounded.err()).isZero();
        assertThat(bounded.err().lines().filter(l -> l.contains("more than 65,536 exits"))).as(bounded.err()).hasSize(1);
        assertThat(bounded.err()).doesNotContain("\tat ");
        assertThat(unbounded.err()).doesNotContain("more than");
        assertThat(bounded.out()).startsWith("exit #10 vs #200000 (vCPU 0)").isEqualTo(unbounded.out());
    }

    @Test
    void aBoundBelowOneColumnSegmentIsRefusedInOneLine() throws Exception {
        Path hlt = Files.write(tmp.resolve("hlt.bin"), new byte[] {(byte) 0xF4});
        var r = CliErrorsTest.vmscope("run", hlt.toString(), "--live-exits", "100");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--live-exits");
    }

    @Test
    void kernelEventsOverTheirBoundMoveToTheFileSaySoOnceAndAreAllCounted() throws Exception {
        dev.vmscope.engine.testing.TracefsTests.requireTracefs();
        Path flood = Files.write(tmp.resolve("flood.bin"), HexFormat.of().parseHex("BAF803EEFEC0EBFB"));
        var r = CliErrorsTest.vmscope("run", flood.toString(), "--max-exits", "60000", "--kernel-events",
                "--live-kernel-events", "65536");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err().lines().filter(l -> l.contains("more than 65,536 kernel events"))).as(r.err()).hasSize(1);
        assertThat(r.err()).doesNotContain("\tat ");
        // one kvm_pio and one kvm_userspace_exit per OUT, though most of them were read back from the file
        assertThat(r.out()).containsPattern("kvm_userspace_exit +60000").containsPattern("kvm_pio +60000");
    }

    @Test
    void aKernelEventBoundIsRefusedInOneLineWhenTooSmallOrWithoutKernelEvents() throws Exception {
        Path hlt = Files.write(tmp.resolve("hlt.bin"), new byte[] {(byte) 0xF4});
        for (String[] args : new String[][] {{"--kernel-events", "--live-kernel-events", "100"},
                {"--live-kernel-events", "100000"}}) {
            var r = CliErrorsTest.vmscope(concat(new String[] {"run", hlt.toString()}, args));
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("--live-kernel-events");
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
