package dev.vmscope.engine.kvm;

import dev.vmscope.engine.sys.LibC;

/**
 * A KVM call failed. The message names the call, the errno and, where one is known, what the user can do.
 */
public class KvmException extends RuntimeException {
    private final String call;
    private final int errno;

    public KvmException(String call, int errno, String hint) {
        super(call + ": " + LibC.errnoName(errno) + (hint == null || hint.isEmpty() ? "" : " — " + hint));
        this.call = call;
        this.errno = errno;
    }

    public KvmException(String message) {
        super(message);
        this.call = "";
        this.errno = 0;
    }

    /** The ioctl or libc call that failed, e.g. {@code KVM_RUN}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
