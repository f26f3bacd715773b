package dev.vmscope.engine.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Checks that a committed image is exactly what {@code nasm -f bin} builds from its committed source (samples and
 * test kernels alike); skips with the reason when NASM is not installed (CI installs it).
 */
public final class NasmBuild {
    private NasmBuild() {
    }

    public static void assertImageIsBuildOf(Path source, Path image) throws Exception {
        String nasm = findOnPath("nasm");
        Assumptions.assumeTrue(nasm != null,
                "nasm not installed: cannot rebuild " + source.getFileName() + " to compare with the committed "
                        + image.getFileName() + " (install nasm to run this check)");
        Path dir = source.getParent();
        Path out = Files.createTempFile("vmscope-image-", ".bin");
        Path log = Files.createTempFile("vmscope-nasm-", ".log");
        try {
            // Run from the source's directory so %include / incbin resolve as they do for a developer.
            Process proc = new ProcessBuilder(nasm, "-f", "bin", "-o", out.toString(), source.getFileName().toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!proc.waitFor(60, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                fail("nasm did not finish within 60 s on %s", source);
            }
            String messages = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(proc.exitValue()).as("nasm exit status for %s; output:%n%s", source, messages).isZero();

            byte[] built = Files.readAllBytes(out);
            byte[] committed = Files.readAllBytes(image);
            assertThat(committed)
                    .as("%s is not the nasm build of %s (%s); rebuild it: cd %s && nasm -f bin -o %s %s",
                            image.getFileName(), source.getFileName(), firstDifference(committed, built), dir,
                            image.getFileName(), source.getFileName())
                    .isEqualTo(built);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
        }
    }

    private static String firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return String.format(Locale.ROOT, "first difference at offset 0x%x: committed 0x%02x, built 0x%02x",
                        i, a[i] & 0xff, b[i] & 0xff);
            }
        }
        return a.length == b.length ? "identical" : "committed " + a.length + " bytes, built " + b.length + " bytes";
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path p = entry.isEmpty() ? null : Path.of(entry, program);
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }
}
