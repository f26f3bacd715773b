package dev.vmscope.engine.machine;

import dev.vmscope.engine.testing.NasmBuild;
import dev.vmscope.engine.testing.TestKernels;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every committed test kernel image is the NASM build of its committed source. */
class TestKernelImagesTest {
    @TestFactory
    Stream<DynamicTest> imagesAreTheBuildsOfTheirSources() throws IOException {
        Path dir = TestKernels.dir();
        try (Stream<Path> list = Files.list(dir)) {
            var sources = list.filter(p -> p.toString().endsWith(".asm")).sorted().toList();
            assertThat(sources).as("test kernels in %s", dir).isNotEmpty();
            return sources.stream().map(src -> {
                String name = src.getFileName().toString().replace(".asm", "");
                return DynamicTest.dynamicTest(name, () -> NasmBuild.assertImageIsBuildOf(src.toAbsolutePath(),
                        src.toAbsolutePath().resolveSibling(name + ".bin")));
            });
        }
    }
}
