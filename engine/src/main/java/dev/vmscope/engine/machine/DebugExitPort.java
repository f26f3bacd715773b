package dev.vmscope.engine.machine;

import dev.vmscope.engine.machine.io.IoBus;
import dev.vmscope.engine.machine.io.IoDevice;
import java.util.function.IntConsumer;

/**
 * QEMU-style isa-debug-exit at port 0xF4: writing value v ends the run with status (v << 1) | 1, so a
 * guest test can report pass or fail through the process exit code.
 */
public final class DebugExitPort implements IoDevice {
    public static final int PORT = 0xF4;

    private final IntConsumer onExit;

    public DebugExitPort(IntConsumer onExit) {
        this.onExit = onExit;
    }

    @Override
    public long in(int port, int size) {
        return IoBus.openBus(size);
    }

    @Override
    public void out(int port, int size, long value) {
        onExit.accept((int) ((value << 1) | 1));
    }
}
