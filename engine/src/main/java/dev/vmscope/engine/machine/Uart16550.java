package dev.vmscope.engine.machine;

import java.util.function.Consumer;

/**
 * A 16550-style UART without a FIFO or interrupts: what guests probe and write to. Bytes written to THR go
 * to the console, a line at a time (or when {@link #flush()} is called) so the console is not told once per
 * byte.
 */
public final class Uart16550 implements IoDevice {
    public static final int COM1 = 0x3F8;

    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private final int base;
    private final Consumer<String> console;
    private final StringBuilder line = new StringBuilder();
    private int ier;
    private int lcr;
    private int mcr;
    private int scratch;
    private int dll = 1;
    private int dlm;

    public Uart16550(int base, Consumer<String> console) {
        this.base = base;
        this.console = console;
    }

    public int base() {
        return base;
    }

    private boolean dlab() {
        return (lcr & 0x80) != 0;
    }

    @Override
    public synchronized long in(int port, int size) {
        return switch (port - base) {
            case 0 -> dlab() ? dll : 0;                 // RBR: nothing received
            case 1 -> dlab() ? dlm : ier;
            case 2 -> 0x01;                             // IIR: no interrupt pending
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> LSR_THRE | LSR_TEMT;              // ready to send, nothing received
            case 6 -> (mcr & 0x10) != 0 ? 0xF0 : 0xB0;  // MSR: DCD DSR CTS (loopback: all lines)
            case 7 -> scratch;
            default -> 0xFF;
        };
    }

    @Override
    public synchronized void out(int port, int size, long value) {
        int v = (int) (value & 0xFF);
        switch (port - base) {
            case 0 -> {
                if (dlab()) {
                    dll = v;
                } else {
                    transmit(v);
                }
            }
            case 1 -> {
                if (dlab()) {
                    dlm = v;
                } else {
                    ier = v & 0x0F;
                }
            }
            case 3 -> lcr = v;
            case 4 -> mcr = v & 0x1F;
            case 7 -> scratch = v;
            default -> {
                // FCR and read-only registers: accepted, no effect
            }
        }
    }

    private void transmit(int b) {
        line.append((char) b);
        if (b == '\n' || line.length() >= 256) {
            flush();
        }
    }

    /** Sends any partial line to the console (at pauses and at the end of a run). */
    public synchronized void flush() {
        if (line.length() > 0) {
            console.accept(line.toString());
            line.setLength(0);
        }
    }
}
