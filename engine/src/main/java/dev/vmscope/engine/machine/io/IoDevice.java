package dev.vmscope.engine.machine.io;

/** A device on the port I/O bus. Called on the vCPU thread that made the access. */
public interface IoDevice {
    /** The value an IN of {@code size} bytes from {@code port} returns. */
    long in(int port, int size);

    void out(int port, int size, long value);
}
