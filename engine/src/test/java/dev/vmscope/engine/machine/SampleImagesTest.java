package dev.vmscope.engine.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmscope.engine.testing.NasmBuild;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Keeps samples/ honest: every manifest is complete and consistent, and every committed image is exactly what
 * NASM builds from its committed source (when NASM is installed). One container per sample, so a failure names
 * the sample.
 */
class SampleImagesTest {

    private static final Set<String> MODES = Set.of("real", "protected", "long");
    private static final long REAL_MODE_SEGMENT = 0x10000;
    private static final long DEFAULT_MEMORY = 2L << 20;

    @TestFactory
    Stream<DynamicNode> samples() throws IOException {
        Path root = samplesDir();
        assertThat(root).as("sample directory (system property vmscope.samples)").isDirectory();
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(d -> Files.isRegularFile(d.resolve("sample.properties"))).sorted().toList();
        }
        assertThat(dirs).as("samples with a sample.properties under %s", root).isNotEmpty();
        return dirs.stream().map(dir -> {
            String name = dir.getFileName().toString();
            return DynamicContainer.dynamicContainer(name, Stream.of(
                    DynamicTest.dynamicTest(name + ": manifest is complete and the image fits", () -> checkManifest(dir)),
                    DynamicTest.dynamicTest(name + ": image is the nasm build of its source",
                            () -> checkImageMatchesSource(dir))));
        });
    }

    private static Path samplesDir() {
        String property = System.getProperty("vmscope.samples");
        return Paths.get(property == null || property.isBlank() ? "../samples" : property).toAbsolutePath().normalize();
    }

    private static Properties manifest(Path dir) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(dir.resolve("sample.properties"), StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    private static String required(Properties p, String key) {
        String value = p.getProperty(key);
        assertThat(value).as("manifest key '%s'", key).isNotNull();
        assertThat(value.strip()).as("manifest key '%s'", key).isNotEmpty();
        return value.strip();
    }

    private static void checkManifest(Path dir) throws IOException {
        Properties p = manifest(dir);
        required(p, "description");
        String mode = required(p, "mode");
        assertThat(MODES).as("mode").contains(mode);
        long load = parseNumber(required(p, "load"), "load");
        long entry = p.getProperty("entry") == null ? load : parseNumber(p.getProperty("entry").strip(), "entry");
        long memory = p.getProperty("memory") == null ? DEFAULT_MEMORY : parseSize(p.getProperty("memory").strip());
        if (p.getProperty("vcpus") != null) {
            assertThat(parseNumber(p.getProperty("vcpus").strip(), "vcpus")).as("vcpus").isPositive();
        }

        Path source = dir.resolve(required(p, "source"));
        assertThat(source).as("source").isRegularFile();
        Path image = dir.resolve(required(p, "image"));
        assertThat(image).as("image").isRegularFile();
        long size = Files.size(image);
        assertThat(size).as("image size of %s", image.getFileName()).isPositive();

        assertThat(load + size).as("end of image (load 0x%x + %d bytes) within RAM of %d bytes", load, size, memory)
                .isLessThanOrEqualTo(memory);
        assertThat(entry).as("entry 0x%x inside the image [0x%x, 0x%x)", entry, load, load + size)
                .isGreaterThanOrEqualTo(load).isLessThan(load + size);
        if (mode.equals("real")) {
            // The loader's real-mode CS is 0 below 64 KiB, entry >> 4 above: the image must sit inside that
            // segment's 64 KiB window, and so be smaller than 64 KiB.
            long csBase = entry < REAL_MODE_SEGMENT ? 0 : (entry >> 4) << 4;
            assertThat(load).as("load 0x%x at or above the CS base 0x%x", load, csBase).isGreaterThanOrEqualTo(csBase);
            assertThat(load - csBase + size).as("real-mode image (load 0x%x, %d bytes) below 64 KiB of its segment",
                    load, size).isLessThanOrEqualTo(REAL_MODE_SEGMENT);
        }
    }

    private static void checkImageMatchesSource(Path dir) throws Exception {
        Properties p = manifest(dir);
        NasmBuild.assertImageIsBuildOf(dir.resolve(required(p, "source")), dir.resolve(required(p, "image")));
    }

    /** Hex (0x…) or decimal, as samples/README.md allows. */
    private static long parseNumber(String text, String key) {
        try {
            return text.regionMatches(true, 0, "0x", 0, 2) ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new AssertionError("manifest key '" + key + "' is not a number: '" + text + "'", e);
        }
    }

    /** A size with an optional K/M/G suffix (powers of 1024). */
    private static long parseSize(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        long value = parseNumber(digits, "memory");
        assertThat(value).as("memory").isPositive();
        return value * unit;
    }
}
