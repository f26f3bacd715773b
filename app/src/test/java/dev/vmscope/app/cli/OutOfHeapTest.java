package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, defect 5: a run whose heap runs out all the same (a live bound set far above a tiny -Xmx) ends with
 * one outcome line, its summary and exit code 1, never a dead vCPU thread, a stack trace or a wait for --timeout.
 */
class OutOfHeapTest {
    @TempDir
    Path tmp;

    @Test
    void aVcpuThatRunsOutOfHeapEndsTheRunInOneLine() throws Exception {
        CliCommandsTest.requireKvm();
        Path flood = Files.write(tmp.resolve("flood.bin"), HexFormat.of().parseHex("BAF803EEFEC0EBFB"));
        Path out = tmp.resolve("out.txt");
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx48m", "-cp",
                System.getProperty("java.class.path"), "dev.vmscope.app.Main", "run", flood.toString(),
                "--live-exits", "100000000", "--timeout", "600").redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();   // to a file: the flood's bytes need no reader
        try {
            assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("ended by itself, long before --timeout").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String all = Files.readString(out, StandardCharsets.ISO_8859_1);
        String tail = all.substring(Math.max(0, all.length() - 2000));
        assertThat(all).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(tail).contains("outcome: ERROR").contains("vCPU 0 ran out of Java heap").containsPattern("exits: \\d+");
        assertThat(p.exitValue()).isEqualTo(1);
    }
}
