package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.boot.BootProtocol;
import dev.vmscope.engine.io.IoErrors;
import dev.vmscope.engine.trace.TraceReader;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Turns what a user names on the command line — a sample directory with a {@code sample.properties}
 * manifest, or a raw image file — into a {@link MachineConfig.Builder}. Every problem becomes a
 * {@link GuestConfigException} with a message that names the file and what is wrong.
 */
public final class GuestSpec {
    public static final String MANIFEST = "sample.properties";

    private GuestSpec() {
    }

    /** A sample's manifest, already checked. */
    /** {@code mode} is null and {@code memory} 0 when the manifest leaves them to the image's boot protocol. */
    public record Manifest(Path dir, String name, String description, Path image, Path source, long load,
                           long entry, CpuMode mode, int vcpus, long memory, String cmdline) {
    }

    public static boolean isSampleDir(Path p) {
        return Files.isDirectory(p) && Files.isRegularFile(p.resolve(MANIFEST));
    }

    /** Reads a guest: a sample directory, or an image file loaded with the builder's defaults. */
    public static MachineConfig.Builder resolve(Path path) {
        if (Files.isDirectory(path)) {
            if (!isSampleDir(path)) {
                throw new GuestConfigException(path + " is a directory without a " + MANIFEST
                        + " (name a sample directory or an image file)");
            }
            Manifest m = readManifest(path);
            MachineConfig.Builder b = forImage(m.name(), readImage(m.image()));
            b.load(m.load()).entry(m.entry()).vcpus(m.vcpus()).cmdline(m.cmdline());
            if (m.mode() != null) {
                b.mode(m.mode());
            }
            if (m.memory() > 0) {
                b.memory(m.memory());
            }
            return b;
        }
        if (TraceReader.looksLikeTrace(path)) {
            throw new GuestConfigException(path + " is a vmscope trace, not a guest: open it with vmscope open,"
                    + " stats, export or vmcs");
        }
        return forImage(path.getFileName().toString(), readImage(path));
    }

    /** A builder for an image, with the boot protocol its bytes announce (kernels get a PC and 128 MiB). */
    public static MachineConfig.Builder forImage(String name, byte[] image) {
        return MachineConfig.builder(name, image).loader(BootProtocol.detect(image));
    }

    /** The largest file vmscope loads into a guest: a Java array's limit, far above any sample or kernel. */
    public static final long MAX_IMAGE = Integer.MAX_VALUE - 8;

    public static byte[] readImage(Path p) {
        return readFile(p, "guest image");
    }

    /**
     * A file to load into the guest ({@code what}: "guest image", "initrd"), read whole. Only a regular file:
     * a FIFO would block and a device would never end. Its size is checked before anything is read.
     */
    public static byte[] readFile(Path p, String what) {
        try {
            if (!Files.exists(p)) {
                throw new GuestConfigException(what + " " + p + " does not exist");
            }
            if (!Files.isRegularFile(p)) {
                throw new GuestConfigException(what + " " + p + " is not a regular file"
                        + (Files.isDirectory(p) ? " but a directory" : " (a FIFO or device cannot be loaded)"));
            }
            long size = Files.size(p);
            if (size > MAX_IMAGE) {
                throw new GuestConfigException(String.format("%s %s is %,d bytes, more than vmscope loads (%s)",
                        what, p, size, Quantities.bytes(MAX_IMAGE + 8)));
            }
            byte[] b;
            try (java.io.InputStream in = Files.newInputStream(p)) {
                b = in.readNBytes((int) size);   // a file that grows meanwhile is read as it was
            }
            if (b.length == 0) {
                throw new GuestConfigException(what + " " + p + " is empty");
            }
            return b;
        } catch (IOException e) {
            throw new GuestConfigException("cannot read " + what + " " + p + ": " + IoErrors.cause(e));
        } catch (OutOfMemoryError e) {
            throw new GuestConfigException(what + " " + p + " is too large to load with this Java heap (-Xmx)");
        }
    }

    public static Manifest readManifest(Path dir) {
        Path file = dir.resolve(MANIFEST);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new GuestConfigException("cannot read " + file + ": " + e.getMessage());
        }
        String where = file.toString();
        String image = required(p, "image", where);
        long load = parseNumber(p.getProperty("load", "0x1000"), "load", where);
        String entry = p.getProperty("entry");
        String vcpus = p.getProperty("vcpus", "1").trim();
        int n;
        try {
            n = Integer.parseInt(vcpus);
        } catch (NumberFormatException e) {
            throw new GuestConfigException(where + ": vcpus '" + vcpus + "' is not a number");
        }
        CpuMode mode = null;
        String modeText = p.getProperty("mode");
        if (modeText != null) {
            try {
                mode = CpuMode.parse(modeText);
            } catch (GuestConfigException e) {
                throw new GuestConfigException(where + ": " + e.getMessage());
            }
        }
        String source = p.getProperty("source");
        Path abs = dir.toAbsolutePath().normalize();
        return new Manifest(dir, abs.getFileName().toString(), p.getProperty("description", "").trim(),
                dir.resolve(image), source == null ? null : dir.resolve(source.trim()), load,
                entry == null ? load : parseNumber(entry, "entry", where), mode, n,
                p.getProperty("memory") == null ? 0 : memory(p.getProperty("memory"), where + ": memory"),
                p.getProperty("cmdline", "").trim());
    }

    private static String required(Properties p, String key, String where) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new GuestConfigException(where + ": missing '" + key + "'");
        }
        return v.trim();
    }

    /** Hex (0x…) or decimal. */
    public static long parseNumber(String s, String what, String where) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace("_", "");
        try {
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new GuestConfigException((where == null ? "" : where + ": ") + what + " '" + s
                    + "' is not a number (use decimal or 0x hex)");
        }
    }

    /** Guest RAM as a user writes it ({@code what}: "--mem" or the manifest's key), by the one size rule. */
    public static long memory(String text, String what) {
        return Quantities.size(text, what, MachineConfig.MIN_MEMORY, MachineConfig.MAX_MEMORY);
    }
}
