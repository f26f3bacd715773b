package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.io.IoDevice;

/**
 * Just enough of the keyboard controller for what kernels do with it: status reads "nothing to read, ready
 * to accept", and command 0xFE (pulse the reset line) resets the machine, which for vmscope ends the run.
 */
public final class I8042 implements IoDevice {
    public static final int DATA = 0x60;
    public static final int COMMAND = 0x64;
    private static final int RESET = 0xFE;

    private final Runnable onReset;

    public I8042(Runnable onReset) {
        this.onReset = onReset;
    }

    @Override
    public long in(int port, int size) {
        return port == COMMAND ? 0x1C : 0x00;   // status: system flag, command/data, no data waiting
    }

    @Override
    public void out(int port, int size, long value) {
        if (port == COMMAND && (value & 0xFF) == RESET) {
            onReset.run();
        }
    }
}
