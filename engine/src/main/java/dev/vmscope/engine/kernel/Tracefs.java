package dev.vmscope.engine.kernel;

import dev.vmscope.engine.sys.RawFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where tracefs is: {@code /sys/kernel/tracing}, else {@code /sys/kernel/debug/tracing}, else wherever
 * {@code /proc/mounts} has it. When it is not mounted vmscope mounts it at {@code /sys/kernel/tracing} if it
 * may (root); otherwise, and when this user may not read it, it says why in one line.
 */
public final class Tracefs {
    static final Path PRIMARY = Path.of("/sys/kernel/tracing");
    static final Path DEBUGFS = Path.of("/sys/kernel/debug/tracing");

    /** What a user without access is told to do. */
    static final String HOW = "run vmscope as root, or let your group use tracefs"
            + " (as root: mount -o remount,gid=GROUP,mode=0770 " + PRIMARY + ")";

    private Tracefs() {
    }

    /** The mounted tracefs root this user can read (mounting it when absent and allowed). */
    public static Path locate() throws KernelTraceUnavailable {
        List<Path> mounts = mountPoints();
        for (Path p : mounts) {
            if (Files.isReadable(p.resolve("events").resolve("header_page"))) {
                return p;
            }
        }
        if (!mounts.isEmpty()) {
            throw new KernelTraceUnavailable("kernel events off: no permission to read tracefs at " + mounts.get(0)
                    + "; " + HOW);
        }
        try {
            RawFile.mount("tracefs", PRIMARY.toString());
        } catch (IOException e) {
            throw new KernelTraceUnavailable("kernel events off: tracefs is not mounted and mounting it failed ("
                    + e.getMessage() + "); as root run: mount -t tracefs nodev " + PRIMARY);
        }
        if (!Files.isReadable(PRIMARY.resolve("events").resolve("header_page"))) {
            throw new KernelTraceUnavailable("kernel events off: mounted tracefs at " + PRIMARY
                    + " but it shows no events (a kernel without CONFIG_TRACING?)");
        }
        return PRIMARY;
    }

    /**
     * A tracefs file's text. Its files report size 0 and some answer a small first read with a single byte and
     * then end of file, so this reads with a large buffer until the end.
     */
    public static String read(Path file) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** tracefs mount points, the usual places first. */
    static List<Path> mountPoints() {
        List<Path> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("tracefs")) {
                    out.add(Path.of(f[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: nothing is known to be mounted
        }
        out.sort((a, b) -> Integer.compare(rank(a), rank(b)));
        return out;
    }

    private static int rank(Path p) {
        return p.equals(PRIMARY) ? 0 : p.equals(DEBUGFS) ? 1 : 2;
    }
}
