package dev.vmscope.app.cli;

import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, defect 7: recording into a full disk (a 256 KiB tmpfs) stops the recording at once with one line,
 * the guest runs on, the run still ends with its summary, and the partial file reads back.
 */
class FullDiskTest {
    @TempDir
    Path tmp;

    @Test
    void aFullDiskStopsTheRecordingAtOnceAndTheRunGoesOnToItsSummary() throws Exception {
        CliCommandsTest.requireKvm();
        Path disk = Files.createDirectory(tmp.resolve("disk"));
        mount(disk, "256k");
        try {
            // mov dx,0x80 ; l: out dx,al ; jmp l   — about 16 bytes of trace per exit, for ever
            Path img = Files.write(tmp.resolve("forever.bin"), HexFormat.of().parseHex("BA8000EEEBFD"));
            Path trace = disk.resolve("run.vmtrace");
            String out;
            int code;
            try (VmscopeProcess p = new VmscopeProcess("run", img.toString(), "--record", trace.toString())) {
                Matcher m = p.await("^vmscope: recording to " + Pattern.quote(trace.toString())
                        + " stopped: (.+) \\(the file keeps its first [\\d,]+ bytes, readable\\); the guest runs on,"
                        + " unrecorded$");
                assertThat(m.group(1)).isEqualToIgnoringCase("no space left on device");
                code = p.terminate();   // the guest ran on (it never ends by itself): stop it as a user would
                out = p.output();
            }
            assertThat(out).doesNotContain("\tat ").doesNotContain("Exception").contains("outcome: STOPPED")
                    .contains("stopped by SIGTERM");
            assertThat(out.lines().filter(l -> l.contains("stopped: "))).as(out).hasSize(2);   // at once, and at the end
            assertThat(code).as("the recording asked for is incomplete: an environment error").isEqualTo(2);
            Matcher exits = Pattern.compile("exits: ([\\d,]+)").matcher(out);
            assertThat(exits.find()).as(out).isTrue();
            long ran = Long.parseLong(exits.group(1).replace(",", ""));
            LoadedTrace t = TraceReader.open(trace);
            System.out.printf("full disk: %,d exits run, %,d in the file; %s%n", ran, t.report().exits(),
                    t.report().summary());
            assertThat(t.report().exits()).isPositive();
            assertThat(ran).as("the guest ran on after the recording stopped").isGreaterThan(t.report().exits());
        } finally {
            new ProcessBuilder("umount", disk.toString()).inheritIO().start().waitFor();
        }
    }

    /** A tmpfs of {@code size} at {@code dir}; without permission to mount, skips with the reason (fails in CI). */
    private static void mount(Path dir, String size) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "vmscope-full-disk-test",
                dir.toString()).redirectErrorStream(true).start();
        String why = new String(p.getInputStream().readAllBytes()).strip();
        if (p.waitFor() != 0) {
            String msg = "a small tmpfs cannot be mounted here (" + why + "): the full-disk test is skipped";
            if ("1".equals(System.getenv("VMSCOPE_REQUIRE_KVM"))) {
                throw new AssertionError("VMSCOPE_REQUIRE_KVM=1 but " + msg);
            }
            System.out.println(msg);
            Assumptions.abort(msg);
        }
    }
}
