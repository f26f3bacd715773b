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
}
