package dev.vmscope.engine.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The few libc calls vmscope needs, bound with JNA direct mapping (one JNI hop, no reflection per call).
 * Every call that can fail throws {@link LastErrorException}, so errno is read right after the call.
 */
public final class LibC {
    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 02;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;

    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_NORESERVE = 0x4000;

    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int EPERM = 1;

    private static final long SYS_GETTID = 186;
    private static final long SYS_TGKILL = 234;

    private LibC() {
    }

    public static native int open(String path, int flags) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    /** read(2) into {@code buf[0..count)}: bytes read, 0 at end of file. */
    public static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    /** mount(2), for tracefs when it is not mounted. */
    public static native int mount(String source, String target, String type, long flags, Pointer data)
            throws LastErrorException;

    /** ioctl with an integer (or no) argument. */
    public static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    /** ioctl with a pointer to a struct. */
    public static native int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    public static native Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset)
            throws LastErrorException;

    public static native int munmap(Pointer addr, long length) throws LastErrorException;

    public static native int getpid();

    public static native long syscall(long number, long a1, long a2, long a3) throws LastErrorException;

    /** The kernel thread id of the calling thread (what tgkill needs). */
    public static int gettid() {
        return (int) syscall(SYS_GETTID, 0, 0, 0);
    }

    /** Sends signal {@code sig} to one thread of this process. */
    public static void tgkill(int pid, int tid, int sig) {
        syscall(SYS_TGKILL, pid, tid, sig);
    }

    /** strerror-like names for the errnos a user is likely to meet. */
    public static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM (operation not permitted)";
            case 2 -> "ENOENT (no such file or directory)";
            case 4 -> "EINTR (interrupted)";
            case 5 -> "EIO (I/O error)";
            case 7 -> "E2BIG (argument list too long)";
            case 9 -> "EBADF (bad file descriptor)";
            case 11 -> "EAGAIN (try again)";
            case 12 -> "ENOMEM (out of memory)";
            case 13 -> "EACCES (permission denied)";
            case 14 -> "EFAULT (bad address)";
            case 16 -> "EBUSY (device busy)";
            case 17 -> "EEXIST (already exists)";
            case 19 -> "ENODEV (no such device)";
            case 22 -> "EINVAL (invalid argument)";
            case 25 -> "ENOTTY (not a KVM device)";
            case 95 -> "EOPNOTSUPP (not supported)";
            default -> "errno " + errno;
        };
    }
}
