package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input as a new user would type it: one clear line on stderr, exit code 2, never a stack trace. */
class CliErrorsTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result vmscope(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VmscopeCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static void assertOneLineError(Result r, String expected) {
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(expected).doesNotContain("\tat ").doesNotContain("Exception in");
        assertThat(r.err().strip().lines()).hasSize(1);
    }

    private Path image(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void missingKvmDevice() throws IOException {
        Path img = image("g.bin", new byte[]{(byte) 0xF4});
        assertOneLineError(vmscope("run", img.toString(), "--kvm-device", "/nonexistent/kvm"),
                "KVM is not available");
    }

    @Test
    void deviceThatIsNotKvm() throws IOException {
        Path img = image("g.bin", new byte[]{(byte) 0xF4});
        assertOneLineError(vmscope("run", img.toString(), "--kvm-device", "/dev/null"), "is not a KVM device");
    }

    @Test
    void missingImage() {
        assertOneLineError(vmscope("run", tmp.resolve("nope.bin").toString()), "does not exist");
    }

    @Test
    void emptyImage() throws IOException {
        assertOneLineError(vmscope("run", image("empty.bin", new byte[0]).toString()), "is empty");
    }

    @Test
    void imageLargerThanMemory() throws IOException {
        Path img = image("big.bin", new byte[200 * 1024]);
        assertOneLineError(vmscope("run", img.toString(), "--mem", "128K"), "does not fit in guest memory");
    }

    @Test
    void badManifest() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("sample.properties"), "image=x.bin\nload=zzz\nmode=real\n");
        assertOneLineError(vmscope("run", dir.toString()), "load 'zzz' is not a number");
        Files.writeString(dir.resolve("sample.properties"), "image=x.bin\nload=0x1000\nmode=warp\n");
        assertOneLineError(vmscope("run", dir.toString()), "unknown CPU mode 'warp'");
    }

    @Test
    void directoryWithoutManifest() {
        assertOneLineError(vmscope("run", tmp.toString()), "without a sample.properties");
    }

    @Test
    void unknownOption() throws IOException {
        Path img = image("g.bin", new byte[]{(byte) 0xF4});
        assertOneLineError(vmscope("run", img.toString(), "--warp-speed"), "Unknown option: '--warp-speed'");
        assertOneLineError(vmscope("frobnicate"), "Unmatched argument");
    }

    @Test
    void badSnapshotLevelAndMode() throws IOException {
        Path img = image("g.bin", new byte[]{(byte) 0xF4});
        assertOneLineError(vmscope("run", img.toString(), "--snapshot", "huge"), "unknown snapshot level 'huge'");
        assertOneLineError(vmscope("run", img.toString(), "--mode", "warp"), "unknown CPU mode 'warp'");
    }
}
