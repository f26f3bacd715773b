package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile user, file or guest found (issue 16), as the command line answers it: one clear line on
 * stderr, exit code 2, never a stack trace, never a hang, never a trace run as a guest.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    static void assertOneLineError(CliErrorsTest.Result r, String expected) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().lines()).as(r.err()).hasSize(1);
    }

    @Test
    void aTraceIsReadAsATraceEvenDamagedAndNeverRunAsAGuest() throws IOException {
        byte[] hello = Files.readAllBytes(TraceCommandsTest.trace("hello"));
        byte[] flipped = hello.clone();
        flipped[2] ^= 0x01;
        Path bad = Files.write(tmp.resolve("hello.bin"), flipped);
        assertOneLineError(CliErrorsTest.vmscope("vmcs", bad.toString(), "--exit", "0"), "not a vmscope trace");
        Path cut = Files.write(tmp.resolve("cut"), java.util.Arrays.copyOf(hello, 6));
        assertOneLineError(CliErrorsTest.vmscope("vmcs", cut.toString(), "--exit", "0"), "only 6 bytes");
        assertOneLineError(CliErrorsTest.vmscope("run", TraceCommandsTest.trace("hello").toString()),
                "is a vmscope trace, not a guest");
        assertOneLineError(CliErrorsTest.vmscope("debug", bad.toString()), "is a vmscope trace, not a guest");
        assertOneLineError(CliErrorsTest.vmscope("vmcs", tmp.resolve("gone.vmtrace").toString(), "--exit", "0"),
                "no such trace file");
    }

    private static void withinAMinute(Runnable r) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), r::run);
    }

    @Test
    void fifosAndDevicesAreRefusedAtOnceNeverRead() throws Exception {
        // defect 4: a FIFO would block open() forever, /dev/zero would be read until memory runs out
        Path fifo = tmp.resolve("pipe");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        Path fifoTrace = tmp.resolve("pipe.vmtrace");
        assertThat(new ProcessBuilder("mkfifo", fifoTrace.toString()).start().waitFor()).isZero();
        Path img = Files.write(tmp.resolve("g.bin"), new byte[] {(byte) 0xF4});
        withinAMinute(() -> {
            assertOneLineError(CliErrorsTest.vmscope("stats", fifoTrace.toString()), "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("export", fifo.toString(), "--format", "csv"),
                    "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("vmcs", fifoTrace.toString(), "--exit", "0"),
                    "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("vmcs", fifo.toString(), "--exit", "0"), "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("run", fifo.toString()), "guest image " + fifo
                    + " is not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("debug", fifo.toString()), "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("ui", fifo.toString()), "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("run", "/dev/zero"), "not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("run", img.toString(), "--initrd", fifo.toString()),
                    "initrd " + fifo + " is not a regular file");
            assertOneLineError(CliErrorsTest.vmscope("run", img.toString(), "--initrd", "/dev/zero"),
                    "initrd /dev/zero is not a regular file");
        });
    }

    @Test
    void everySizeAndCountFollowsOneRule() throws IOException {
        // defect 9: out-of-range values are refused in one line wherever they come from, never replaced
        Path img = Files.write(tmp.resolve("g.bin"), new byte[] {(byte) 0xF4});
        for (String t : new String[] {"-1", "0", "NaN", "1e99", "Infinity", "soon"}) {
            assertOneLineError(CliErrorsTest.vmscope("run", img.toString(), "--timeout", t), "--timeout '" + t + "'");
        }
        for (String n : new String[] {"0", "-5", "99999999999999999999", "many"}) {
            assertOneLineError(CliErrorsTest.vmscope("run", img.toString(), "--max-exits", n), "--max-exits '" + n);
        }
        for (String m : new String[] {"-1", "0", "9999999999G", "99999999999999999999", "lots"}) {
            var r = CliErrorsTest.vmscope("run", img.toString(), "--mem", m);
            assertOneLineError(r, "--mem '" + m + "'");
            assertThat(r.err()).doesNotContainPattern("-\\d{3,}");   // no overflowed, negative numbers
        }
        Path dir = Files.createDirectories(tmp.resolve("s"));
        Files.write(dir.resolve("g.bin"), new byte[] {(byte) 0xF4});
        for (String m : new String[] {"-1", "0", "99999999999G"}) {
            Files.writeString(dir.resolve("sample.properties"), "image=g.bin\nmode=real\nmemory=" + m + "\n");
            assertOneLineError(CliErrorsTest.vmscope("run", dir.toString()), "sample.properties: memory '" + m + "'");
        }
    }

    @Test
    void errorLinesNameTheCauseAndATimeoutSaysSo() throws IOException {
        // defect 10: the cause after the file name, the right noun for an initrd, a timeout called a timeout
        var w = CliErrorsTest.vmscope("export", TraceCommandsTest.trace("hello").toString(), "--format", "csv",
                "--out", "/nonexistent/x.csv");
        assertOneLineError(w, "cannot write /nonexistent/x.csv: no such file or directory");
        Path img = Files.write(tmp.resolve("g.bin"), new byte[] {(byte) 0xF4});
        assertOneLineError(CliErrorsTest.vmscope("run", img.toString(), "--initrd", tmp.resolve("no.img").toString()),
                "initrd " + tmp.resolve("no.img") + " does not exist");
        CliCommandsTest.requireKvm();
        var r = CliErrorsTest.vmscope("run", CliCommandsTest.sample("spin").toString(), "--timeout", "0.5");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("timeout after 0.5 s (--timeout)").doesNotContain("stopped by the user");
    }

    @Test
    void sigtermEndsARunWithItsSummary() throws Exception {
        // defect 10: SIGTERM, like the end of the run, prints the summary
        CliCommandsTest.requireKvm();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.vmscope.app.Main", "run",
                CliCommandsTest.sample("spin").toString()).redirectErrorStream(true).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
            String line;
            StringBuilder all = new StringBuilder();
            while ((line = out.readLine()) != null) {
                all.append(line).append('\n');
                if (line.contains("spinning")) {
                    p.toHandle().destroy();   // SIGTERM (Process.destroy would also close our pipe)
                }
            }
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(all.toString()).contains("spinning").contains("outcome: STOPPED").contains("stopped by SIGTERM")
                    .containsPattern("exits: \\d+");
            assertThat(p.exitValue()).as("128 + SIGTERM, as a shell reports a process the signal ended").isEqualTo(143);
        } finally {
            p.destroyForcibly();
        }
    }
}
