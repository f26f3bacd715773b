package dev.vmscope.app;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering rules, checked on the sources: the engine never imports JavaFX (it must run headless and
 * under the CLI), the app never imports JNA (native calls belong in the engine's sys/kvm packages), and
 * only the engine's sys and kvm packages touch JNA at all.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of(System.getProperty("vmscope.samples", "../samples")).getParent();

    private static List<Path> javaFiles(String dir) throws IOException {
        try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static List<String> offenders(String dir, Pattern importPattern, Pattern allowedPath) throws IOException {
        return javaFiles(dir).stream().filter(p -> allowedPath == null || !allowedPath.matcher(p.toString()).find())
                .filter(p -> {
                    try {
                        return Files.readAllLines(p).stream().anyMatch(l -> importPattern.matcher(l).find());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }).map(Path::toString).toList();
    }

    @Test
    void engineNeverImportsJavaFx() throws IOException {
        assertThat(offenders("engine/src/main/java", Pattern.compile("^import (static )?javafx\\."), null)).isEmpty();
    }

    @Test
    void appNeverImportsJna() throws IOException {
        assertThat(offenders("app/src", Pattern.compile("^import (static )?com\\.sun\\.jna\\."), null)).isEmpty();
    }

    @Test
    void onlyTheNativeLayersUseJna() throws IOException {
        assertThat(offenders("engine/src/main/java", Pattern.compile("^import (static )?com\\.sun\\.jna\\."),
                Pattern.compile("/engine/(sys|kvm)/"))).isEmpty();
    }
}
