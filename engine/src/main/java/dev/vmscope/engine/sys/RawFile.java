package dev.vmscope.engine.sys;

import com.sun.jna.LastErrorException;

import java.io.IOException;

/**
 * A file read with read(2) on a non-blocking descriptor: tracefs's {@code trace_pipe_raw} blocks a plain read
 * until data comes, and a reader thread must be able to stop at any time. Not thread-safe; one reader.
 */
public final class RawFile implements AutoCloseable {
    /** {@link #read} found nothing to read now. */
    public static final int NOTHING_YET = -1;

    private final String path;
    private int fd;

    private RawFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@code path} read-only and non-blocking. */
    public static RawFile openNonBlocking(String path) throws IOException {
        try {
            return new RawFile(path, LibC.open(path, LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC));
        } catch (LastErrorException e) {
            throw new IOException(path + ": " + LibC.errnoName(e.getErrorCode()));
        }
    }

    /** Reads up to {@code buf.length} bytes: the count, 0 at end of file, {@link #NOTHING_YET} when none are ready. */
    public int read(byte[] buf) throws IOException {
        try {
            return (int) LibC.read(fd, buf, buf.length);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EAGAIN || e.getErrorCode() == LibC.EINTR) {
                return NOTHING_YET;
            }
            throw new IOException(path + ": " + LibC.errnoName(e.getErrorCode()));
        }
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // nothing left to release
            }
            fd = -1;
        }
    }

    /** mount(2) of a pseudo file system with no source device (tracefs, when it is not mounted). */
    public static void mount(String type, String target) throws IOException {
        try {
            LibC.mount("nodev", target, type, 0, null);
        } catch (LastErrorException e) {
            throw new IOException(LibC.errnoName(e.getErrorCode()));
        }
    }
}
