package dev.vmscope.app.cli;

import org.junit.jupiter.api.Assumptions;
import dev.vmscope.engine.testing.TracefsTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --kernel-events} on the command line, for real on this host (root, tracefs): the run summary and
 * JSON, {@code --trace-exits}, the debug console's {@code kevents} and {@code vmcs}, a user without permission,
 * and the tracefs instance after Ctrl+C and kill -9.
 */
class CliKernelEventsTest {
    @TempDir
    Path tmp;

    private static Path tracefs() {
        return TracefsTests.requireTracefs();
    }

    private static String hello() {
        return CliCommandsTest.sample("hello").toString();
    }

    @Test
    void runSummaryAndJsonCountKernelEventsByName() {
        tracefs();
        CliErrorsTest.Result r = CliErrorsTest.vmscope("run", hello(), "--kernel-events", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        String json = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(json).contains("\"kernelEvents\":{").contains("\"kvm_pio\":22").contains("\"kvm_userspace_exit\":23")
                .contains("\"kernelEventsLost\":0");
        CliErrorsTest.Result text = CliErrorsTest.vmscope("run", "--kernel-events=all", hello());
        assertThat(text.out()).contains("kernel events: ").contains("(lost 0)").containsPattern("kvm_emulate_insn +\\d+");
        assertThat(text.err()).isEmpty();
    }

    @Test
    void traceExitsIndentsTheKernelsEventsAboveTheExitTheyPrecede() {
        tracefs();
        CliErrorsTest.Result r = CliErrorsTest.vmscope("run", hello(), "--kernel-events", "--trace-exits");
        List<String> lines = r.out().lines().toList();
        int first = lines.indexOf(lines.stream().filter(l -> l.startsWith("#0 ")).findFirst().orElseThrow());
        assertThat(lines.get(first - 1)).startsWith("    kvm_userspace_exit").contains("KVM_EXIT_IO");
        assertThat(lines.subList(0, first)).anyMatch(l -> l.startsWith("    kvm_pio") && l.contains("0x3f8")
                && l.contains("'H'"));
        assertThat(lines.subList(0, first)).anyMatch(l -> l.startsWith("    kvm_emulate_insn") && l.contains("out dx, al"));
        assertThat(lines).filteredOn(l -> l.startsWith("#")).hasSize(23);
    }

    @Test
    void debugConsoleShowsWhatTheKernelDidBeforeTheCurrentExit() {
        tracefs();
        CliErrorsTest.Result r = CliRecordTest.debug("stepexit\nkevents\nkevents 2\nvmcs exit\nquit\n", hello(),
                "--kernel-events");
        assertThat(r.out()).contains("kernel events of vCPU 0 before exit #0:")
                .containsPattern("(?m)^    kvm_pio +out port 0x3f8 size 1 = 0x48 'H'$")
                .contains("earlier kernel events")   // kevents 2 shows the last two and says how many came before
                .contains("0x4402");                 // the VMCS exit area
        // this host never emits kvm:kvm_exit: the exit information stays derived, and the pane says why
        assertThat(r.out()).contains("kvm:kvm_exit never fired in this run");
        CliErrorsTest.Result off = CliRecordTest.debug("stepexit\nkevents\nquit\n", hello());
        assertThat(off.out()).contains("kernel events: kernel events were not captured");
    }

    @Test
    void vmcsCommandSaysWhereTheExitInformationComesFrom() {
        tracefs();
        CliErrorsTest.Result r = CliErrorsTest.vmscope("vmcs", hello(), "--exit", "3", "--area", "exit",
                "--kernel-events");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("VM_EXIT_REASON").contains("never fired in this run");
        CliErrorsTest.Result without = CliErrorsTest.vmscope("vmcs", hello(), "--exit", "3", "--area", "exit");
        assertThat(without.out()).contains("kernel events were not captured for this run");
    }

    @Test
    void aUserWithoutTracefsAccessGetsOneLineAndTheRunCompletes() throws Exception {
        tracefs();
        // a non-root user with access to KVM (its own device node for /dev/kvm) but not to tracefs
        Path dev = tmp.resolve("kvm");
        Process mknod = new ProcessBuilder("mknod", dev.toString(), "c", "10", "232").inheritIO().start();
        Assumptions.assumeTrue(mknod.waitFor() == 0, "mknod is not allowed here");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        new ProcessBuilder("chown", "65534", dev.toString()).start().waitFor();
        Path cp = Files.createDirectory(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(":")) {
            Path from = Path.of(e);
            Path to = cp.resolve((n++) + "-" + from.getFileName());
            new ProcessBuilder("cp", "-r", from.toString(), to.toString()).start().waitFor();
            entries.add(to.toString());
        }
        Path sample = tmp.resolve("hello");
        new ProcessBuilder("cp", "-r", CliCommandsTest.sample("hello").toString(), sample.toString()).start().waitFor();
        new ProcessBuilder("chmod", "-R", "a+rX", tmp.toString()).start().waitFor();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java, "-cp",
                String.join(":", entries), "dev.vmscope.app.Main", "run", sample.toString(), "--kernel-events",
                "--kvm-device", dev.toString()).directory(tmp.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(out).contains("Hello from real mode!").contains("exits: 23");
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(err).startsWith("vmscope: kernel events off: no permission").contains("root");
    }

    /** A vmscope run of samples/spin in its own process, its tracefs instance up. */
    private Process spinning(Path instances) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.vmscope.app.Main", "run",
                CliCommandsTest.sample("spin").toString(), "--kernel-events", "--timeout", "60")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the guest's first output").contains("spinning");
        assertThat(instancesOf(instances, p.pid())).as("its instance while it runs").hasSize(1);
        return p;
    }

    private static List<Path> instancesOf(Path instances, long pid) throws IOException {
        try (Stream<Path> s = Files.list(instances)) {
            return s.filter(x -> x.getFileName().toString().startsWith("vmscope-" + pid + "-")).toList();
        }
    }

    @Test
    void ctrlCRemovesTheInstance() throws Exception {
        Path instances = tracefs().resolve("instances");
        Process p = spinning(instances);
        new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("ends on SIGINT").isTrue();
        assertThat(instancesOf(instances, p.pid())).isEmpty();
    }

    @Test
    void afterKillNineTheNextStartRemovesTheInstance() throws Exception {
        Path instances = tracefs().resolve("instances");
        Process p = spinning(instances);
        p.destroyForcibly();   // SIGKILL: no hook runs
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(instancesOf(instances, p.pid())).as("left behind").hasSize(1);
        assertThat(CliErrorsTest.vmscope("run", hello(), "--kernel-events").code()).isZero();
        assertThat(instancesOf(instances, p.pid())).as("removed by the next start").isEmpty();
    }
}
