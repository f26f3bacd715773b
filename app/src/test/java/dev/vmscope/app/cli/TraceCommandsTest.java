package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** stats and export on the bundled traces (no KVM needed), and what a damaged file looks like to a user. */
class TraceCommandsTest {
    @TempDir
    Path tmp;

    static Path trace(String sample) {
        return CliCommandsTest.sample(sample).resolve(sample + ".vmtrace");
    }

    @Test
    void statsCountsExitsByReasonAndPort() {
        var r = CliErrorsTest.vmscope("stats", trace("hello").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("exits: 23").containsPattern("IO\\s+22").containsPattern("0x03f8\\s+0\\s+22\\s+22");
        var json = CliErrorsTest.vmscope("stats", trace("hello").toString(), "--json");
        assertThat(json.out()).contains("\"exits\":23");
    }

    @Test
    void exportCsvHasARowPerExit() throws IOException {
        Path out = tmp.resolve("hello.csv");
        var r = CliErrorsTest.vmscope("export", trace("hello").toString(), "--format", "csv", "--out", out.toString());
        assertThat(r.code()).isZero();
        var lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("seq,time_ns,vcpu,reason,detail,rip,guest_ns,kind");
        List<String> exits = lines.stream().filter(l -> l.endsWith(",exit")).toList();
        assertThat(exits).hasSize(23);   // plus a row per kernel event when the trace has them
        assertThat(exits.get(0)).startsWith("0,").contains(",IO,out 0x3f8 size 1 = 0x48 'H',");
        long kernel = lines.stream().filter(l -> l.endsWith(",kernel")).count();
        assertThat(r.out()).as("the line says what the rows are").startsWith(kernel > 0
                ? "wrote 23 exits and " + kernel + " kernel events to " + out : "wrote 23 exits to " + out);
    }

    @Test
    void exportChromeJsonHasATrackPerVcpu() {
        var r = CliErrorsTest.vmscope("export", trace("smp").toString(), "--format", "chrome-json");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("\"traceEvents\"").contains("\"name\":\"thread_name\"").contains("vCPU 1");
    }

    @Test
    void exportPerfettoWritesProtobufToAFileOnly() throws IOException {
        var noFile = CliErrorsTest.vmscope("export", trace("smp").toString(), "--format", "perfetto");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err().strip()).startsWith("vmscope: the perfetto format is binary protobuf: give --out FILE")
                .doesNotContain("\n");
        Path out = tmp.resolve("smp.perfetto-trace");
        var r = CliErrorsTest.vmscope("export", trace("smp").toString(), "--format", "perfetto", "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("(perfetto, ");
        byte[] b = Files.readAllBytes(out);
        assertThat(b[0]).as("a Trace starts with a length-delimited field 1 (a TracePacket)").isEqualTo((byte) 0x0A);
        assertThat(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("vCPU 1");
    }

    @Test
    void aTruncatedTraceOpensWithAWarningAndAMissingOneIsAnError() throws IOException {
        byte[] whole = Files.readAllBytes(trace("ioloop"));
        Path cut = tmp.resolve("cut.vmtrace");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        var r = CliErrorsTest.vmscope("stats", cut.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).startsWith("vmscope: warning: ").contains("recording cut short");
        assertThat(r.out()).containsPattern("exits: [1-9]");

        var missing = CliErrorsTest.vmscope("stats", tmp.resolve("nope.vmtrace").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("vmscope: no such trace file: " + tmp.resolve("nope.vmtrace"));
        Path junk = tmp.resolve("junk.vmtrace");
        Files.writeString(junk, "not a trace at all");
        var bad = CliErrorsTest.vmscope("export", junk.toString(), "--format", "csv");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).hasSize(1);
    }

    @Test
    void vmcsWorksOnATraceFile() {
        var r = CliErrorsTest.vmscope("vmcs", trace("protected").toString(), "--exit", "27", "--area", "guest");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("GUEST_CS_AR_BYTES").contains("0x0000C09B");
    }

    @Test
    void vmcsOnATraceDecodesTheInstructionFromTheCodeTheTraceKept() {
        // hello's first exit is `out dx, al`: with the kept code the qualification is whole (no ? bits)
        var r = CliErrorsTest.vmscope("vmcs", trace("hello").toString(), "--exit", "0", "--area", "exit");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("EXIT_QUALIFICATION +natural +0x0000000003F80000 +PORT=0x3F8 SIZE=1 byte DIR=OUT"
                + " OPERAND=DX").containsPattern("VM_EXIT_INSTRUCTION_LEN +32-bit +0x00000001");
    }
}
