package dev.vmscope.engine.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import dev.vmscope.engine.sys.LibC;

/** A file descriptor plus the ioctl helpers every KVM handle shares; errors name the ioctl. */
class Fd implements AutoCloseable {
    protected final int fd;
    private boolean closed;

    Fd(int fd) {
        this.fd = fd;
    }

    int ioctl(String name, long request, long arg) {
        try {
            return LibC.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw new KvmException(name, e.getErrorCode(), null);
        }
    }

    int ioctl(String name, long request, Pointer arg) {
        try {
            return LibC.ioctl(fd, request, arg);
        } catch (LastErrorException e) {
            throw new KvmException(name, e.getErrorCode(), null);
        }
    }

    /** Writes the struct, calls the ioctl, reads the struct back. */
    int ioctl(String name, long request, Structure s) {
        s.write();
        int r = ioctl(name, request, s.getPointer());
        s.read();
        return r;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // nothing useful to do when close fails
            }
        }
    }
}
