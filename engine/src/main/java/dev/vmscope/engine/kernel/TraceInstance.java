package dev.vmscope.engine.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * vmscope's own tracefs instance, {@code instances/vmscope-PID-N}: a private ring buffer, clock, event
 * selection and pid filter, so the global buffer and anyone else's tracing are never touched. Made with
 * mkdir, removed with rmdir (which the kernel refuses while a file in it is open, so readers close first).
 * Instances left by a vmscope process that no longer exists (killed with SIGKILL) are removed at the next start.
 */
final class TraceInstance {
    private static final Pattern NAME = Pattern.compile("vmscope-(\\d+)(?:-\\d+)?");
    private static final AtomicInteger SEQ = new AtomicInteger();

    private final Path dir;
    private volatile boolean removed;

    private TraceInstance(Path dir) {
        this.dir = dir;
    }

    /** Creates a new instance under {@code root/instances}. */
    static TraceInstance create(Path root) throws KernelTraceUnavailable {
        Path instances = root.resolve("instances");
        removeStale(instances);
        Path dir = instances.resolve("vmscope-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
        try {
            Files.createDirectory(dir);
        } catch (AccessDeniedException e) {
            throw new KernelTraceUnavailable("kernel events off: no permission to create a tracing instance in "
                    + instances + "; " + Tracefs.HOW);
        } catch (IOException e) {
            throw new KernelTraceUnavailable("kernel events off: cannot create " + dir + " (" + e + ")");
        }
        return new TraceInstance(dir);
    }

    Path dir() {
        return dir;
    }

    /** Writes {@code value} to the instance's file {@code name} (relative, e.g. {@code events/kvm/enable}). */
    void write(String name, String value) throws IOException {
        Files.writeString(dir.resolve(name), value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Appends {@code value} to file {@code name} (set_event_pid keeps earlier pids this way). */
    void append(String name, String value) throws IOException {
        Files.writeString(dir.resolve(name), value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    String read(String name) throws IOException {
        return Tracefs.read(dir.resolve(name));
    }

    boolean exists(String name) {
        return Files.exists(dir.resolve(name));
    }

    /** The CPUs the instance has buffers for ({@code per_cpu/cpuN}). */
    List<Integer> cpus() throws IOException {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve("per_cpu"), "cpu*")) {
            for (Path p : s) {
                try {
                    out.add(Integer.parseInt(p.getFileName().toString().substring(3)));
                } catch (NumberFormatException ignored) {
                    // not a cpu directory
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Removes the instance (its events stop with it); idempotent; true when it is gone. */
    boolean remove() {
        if (removed) {
            return true;
        }
        try {
            Files.deleteIfExists(dir);
            removed = true;
        } catch (IOException e) {
            removed = !Files.exists(dir);
        }
        return removed;
    }

    /** Removes {@code vmscope-PID*} instances whose process is gone; returns how many. */
    static int removeStale(Path instances) {
        int n = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(instances, "vmscope-*")) {
            for (Path p : s) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    try {
                        Files.deleteIfExists(p);
                        n++;
                    } catch (IOException ignored) {
                        // busy or not ours to remove: leave it
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no instances directory or no access: nothing to clean
        }
        return n;
    }
}
