package dev.vmscope.app.cli;

import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The commands end to end on real guests: what a user sees and the exit codes scripts rely on. */
class CliCommandsTest {
    static Path sample(String name) {
        return Path.of(System.getProperty("vmscope.samples", "../samples")).resolve(name);
    }

    static void requireKvm() {
        KvmTests.requireKvm();
    }

    @Test
    void runPrintsTheGuestOutputAndAJsonSummary() {
        requireKvm();
        var r = CliErrorsTest.vmscope("run", sample("hello").toString(), "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Hello from real mode!\n");
        String last = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(last).startsWith("{\"exits\":23,\"exitsByReason\":{\"HLT\":1,\"IO\":22},\"outcome\":\"HALTED\"")
                .contains("\"seconds\":").contains("\"exitsPerSecond\":");
    }

    @Test
    void exitCodesFollowTheOutcome() {
        requireKvm();
        assertThat(CliErrorsTest.vmscope("run", sample("triplefault").toString()).code()).isEqualTo(1);
        assertThat(CliErrorsTest.vmscope("run", sample("mbkernel").toString()).code()).isEqualTo(33);
        var spin = CliErrorsTest.vmscope("run", sample("spin").toString(), "--timeout", "0.3");
        assertThat(spin.code()).isZero();
        assertThat(spin.out()).contains("outcome: STOPPED");
    }

    @Test
    void traceExitsPrintsOneLinePerExit() {
        requireKvm();
        var r = CliErrorsTest.vmscope("run", sample("hello").toString(), "--trace-exits");
        assertThat(r.out().lines().filter(l -> l.startsWith("#"))).hasSize(23);
        assertThat(r.out()).contains("#0 vcpu0 IO             out 0x3f8 size 1 = 0x48 'H'");
    }

    @Test
    void kernelsSayWhichLoaderTheyUsed() {
        requireKvm();
        var r = CliErrorsTest.vmscope("run", sample("mbkernel").toString());
        assertThat(r.out()).startsWith("vmscope: loaded with the multiboot loader: multiboot kernel");
    }

    @Test
    void vmcsShowsTheExitAsVmcsFields() {
        requireKvm();
        var r = CliErrorsTest.vmscope("vmcs", sample("hello").toString(), "--exit", "0", "--area", "exit");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("VM_EXIT_REASON").contains("0x0000001E").contains("IO_INSTRUCTION")
                .contains("0x0000000003F80000").contains("derived").contains("not visible");
        var json = CliErrorsTest.vmscope("vmcs", sample("protected").toString(), "--exit", "27", "--area", "guest",
                "--json");
        assertThat(json.out()).contains("\"GUEST_CS_AR_BYTES\"").containsIgnoringCase("\"value\": \"0xc09b\"");
        // two OUTs from the same instruction differ only in GPRs, which the VMCS does not hold
        var same = CliErrorsTest.vmscope("vmcs", sample("hello").toString(), "--exit", "1", "--diff");
        assertThat(same.out()).startsWith("exit #1 vs #0 (vCPU 0): 0 field(s) changed");
        var diff = CliErrorsTest.vmscope("vmcs", sample("hello").toString(), "--exit", "22", "--diff", "0");
        assertThat(diff.out()).startsWith("exit #22 vs #0 (vCPU 0)").contains("VM_EXIT_REASON").contains("GUEST_RIP");
        var vmcb = CliErrorsTest.vmscope("vmcs", sample("hello").toString(), "--exit", "0", "--vmcb");
        assertThat(vmcb.out()).contains("EXIT_CODE").contains("0x000000000000007B");
        var missing = CliErrorsTest.vmscope("vmcs", sample("hello").toString(), "--exit", "99");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("there is no exit 99 (23 exits, the guest ended: HALTED)");
    }

    @Test
    void debugConsoleDrivesTheGuestFromAScript() throws Exception {
        requireKvm();
        String script = """
                break exit IO port=0x3f8
                continue
                regs
                stepexit
                info breakpoints
                bogus
                vmcs exit
                delete 1
                continue
                quit
                """;
        StringWriter sw = new StringWriter();
        PrintWriter out = new PrintWriter(sw, true);
        try (var s = dev.vmscope.engine.debug.DebugSession.launch(
                new GuestOptionsFixture(sample("hello")).config())) {
            new DebugConsole(s, out, false).run(new BufferedReader(new StringReader(script)));
        }
        String text = sw.toString();
        assertThat(text).contains("breakpoint 1: exit IO port=0x3f8");
        assertThat(text).contains("stopped: #0 vcpu 0 IO out 0x3f8 size 1 = 0x48 'H' rip=0x")
                .contains("[breakpoint 1: exit IO port=0x3f8]");
        assertThat(text).contains("rax=0x0000000000000048");
        assertThat(text).contains("stopped: #1 vcpu 0 IO out 0x3f8 size 1 = 0x65 'e'");
        assertThat(text).contains("1 exit IO port=0x3f8 enabled hits=2");
        assertThat(text).contains("error: unknown command 'bogus'");
        assertThat(text).contains("EXIT_QUALIFICATION");
        assertThat(text).contains("finished: HALTED");
    }

    /** GuestOptions as picocli would fill them for {@code debug PATH}. */
    static final class GuestOptionsFixture {
        private final GuestOptions o = new GuestOptions();

        GuestOptionsFixture(Path guest) {
            o.guest = guest;
            o.snapshot = "fast";
            o.kvmDevice = "/dev/kvm";
        }

        dev.vmscope.engine.machine.MachineConfig config() {
            return o.config();
        }
    }
}
