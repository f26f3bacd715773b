package dev.vmscope.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test kernels in {@code engine/src/test/kernels}: small guests that check one thing a third-party kernel relies
 * on (NASM source and built image side by side, like samples/, but not samples: no manifest, trace or walkthrough).
 */
public final class TestKernels {
    private TestKernels() {
    }

    public static Path dir() {
        String p = System.getProperty("vmscope.kernels");
        return Path.of(p != null ? p : "src/test/kernels");
    }

    public static byte[] image(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name + ".bin"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
