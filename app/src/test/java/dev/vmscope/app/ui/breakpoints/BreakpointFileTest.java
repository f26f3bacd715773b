package dev.vmscope.app.ui.breakpoints;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Saved breakpoints are never lost in silence (issue 16, defect 8). */
class BreakpointFileTest {
    @TempDir
    Path tmp;

    @Test
    void aFileThatCannotBeReadIsSetAsideAndSaidSoNeverOverwritten() throws IOException {
        BreakpointFile f = new BreakpointFile(tmp);
        Path file = f.fileFor("hello");
        String text = "reason.IO=on port=0x3f8\nreason.HLT=on\nreason.MMIO=on rip=C:\\users\\x\naddress.1=0x100f x 1 on\n";
        Files.writeString(file, text);
        assertThatThrownBy(() -> f.load("hello")).isInstanceOf(BreakpointFile.Unreadable.class)
                .hasMessageContaining("could not be read").hasMessageContaining("kept as hello.properties.unreadable");
        assertThat(Files.readString(tmp.resolve("hello.properties.unreadable"))).isEqualTo(text);
        f.save("hello", BreakpointFile.Saved.EMPTY, 1);   // the next change writes a new file beside it
        assertThat(Files.readString(tmp.resolve("hello.properties.unreadable"))).isEqualTo(text);

        Files.write(f.fileFor("big"), new byte[(int) BreakpointFile.MAX_BYTES + 1]);
        assertThatThrownBy(() -> f.load("big")).hasMessageContaining("more than");
        assertThat(f.load("nothing-saved")).isEqualTo(BreakpointFile.Saved.EMPTY);
    }

    @Test
    void aFailedSaveSaysSoAndLeavesNoTemporaryFile() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("bp"));
        BreakpointFile f = new BreakpointFile(dir);
        Files.createDirectories(f.fileFor("hello"));          // a directory where the file should go
        Files.writeString(f.fileFor("hello").resolve("x"), "in the way");
        assertThatThrownBy(() -> f.save("hello", new BreakpointFile.Saved(
                List.of(new BreakpointFile.Reason("IO", true, "")), List.of()), 1))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot save breakpoints to");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("hello.properties");
        }
    }
}
