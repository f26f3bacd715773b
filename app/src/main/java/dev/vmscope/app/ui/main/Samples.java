package dev.vmscope.app.ui.main;

import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.GuestSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Finds the bundled samples: {@code vmscope.samples}, else ./samples, else samples beside the jar. */
public final class Samples {
    private Samples() {
    }

    public static Path directory() {
        String p = System.getProperty("vmscope.samples");
        if (p != null && Files.isDirectory(Path.of(p))) {
            return Path.of(p);
        }
        if (Files.isDirectory(Path.of("samples"))) {
            return Path.of("samples");
        }
        try {
            Path jar = Path.of(Samples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path d = jar.getParent(); d != null; d = d.getParent()) {
                if (Files.isDirectory(d.resolve("samples"))) {
                    return d.resolve("samples");
                }
            }
        } catch (Exception ignored) {
            // no code source (tests, unusual class loaders): no samples
        }
        return Path.of("samples");
    }

    /** The recorded run bundled with the sample {@code name} in its directory {@code dir}, or null when there is none. */
    public static Path recordedTrace(Path dir, String name) {
        Path t = dir.resolve(name + ".vmtrace");
        return Files.isRegularFile(t) ? t : null;
    }

    /** The recorded run of the sample called {@code name} under {@code samples} (a guest's name), or null. */
    public static Path recordedTraceOf(Path samples, String name) {
        boolean plain = name != null && !name.isEmpty() && !name.startsWith(".") && !name.contains("/")
                && !name.contains("\\");
        return plain && samples != null ? recordedTrace(samples.resolve(name), name) : null;
    }

    /** Every readable sample manifest in {@code dir}, by name; broken ones are skipped. */
    public static List<GuestSpec.Manifest> list(Path dir) {
        List<GuestSpec.Manifest> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (GuestSpec.isSampleDir(p)) {
                    try {
                        out.add(GuestSpec.readManifest(p));
                    } catch (GuestConfigException e) {
                        // a broken manifest is the sample author's problem; the rest still list
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        out.sort(Comparator.comparing(GuestSpec.Manifest::name));
        return out;
    }
}
