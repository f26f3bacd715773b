package dev.vmscope.engine.machine;

import dev.vmscope.engine.machine.io.IoDevice;
import java.util.function.Consumer;

/**
 * A 16550-style UART: the registers guests probe (IER, IIR, LCR with DLAB, MCR, LSR, MSR, scratch) and the
 * transmitter-empty interrupt, raised on an IRQ line when the guest enables it (IER bit 1) and gates it
 * through MCR.OUT2, as PC kernels expect. Transmission is instant and nothing is ever received. Bytes
 * written to THR go to the console a line at a time (or at {@link #flush()}), never one call per byte.
 */
public final class Uart16550 implements IoDevice {
    public static final int COM1 = 0x3F8;

    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private static final int IER_THRE = 0x02;
    private static final int MCR_OUT2 = 0x08;
    private static final int MCR_LOOP = 0x10;

    /** An interrupt line; called with the new level only when it changes. */
    public interface IrqLine {
        void set(boolean high);
    }

    private final int base;
    private final Consumer<String> console;
    private final IrqLine irq;
    private boolean threPending;
    private boolean irqLevel;
    private final StringBuilder line = new StringBuilder();
    private int ier;
    private int lcr;
    private int mcr;
    private int scratch;
    private int dll = 1;
    private int dlm;

    public Uart16550(int base, Consumer<String> console) {
        this(base, console, high -> { });
    }

    public Uart16550(int base, Consumer<String> console, IrqLine irq) {
        this.base = base;
        this.console = console;
        this.irq = irq;
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
            case 2 -> readIir();
            case 3 -> lcr;
            case 4 -> mcr;
            case 5 -> LSR_THRE | LSR_TEMT;              // ready to send, nothing received
            case 6 -> (mcr & MCR_LOOP) != 0 ? 0xF0 : 0xB0;  // MSR: DCD DSR CTS (loopback: all lines)
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
                    threPending = true;   // sent at once: the holding register is empty again
                    updateIrq();
                }
            }
            case 1 -> {
                if (dlab()) {
                    dlm = v;
                } else {
                    if ((v & IER_THRE) != 0 && (ier & IER_THRE) == 0) {
                        threPending = true;   // enabling the interrupt while THR is empty raises it
                    }
                    ier = v & 0x0F;
                    updateIrq();
                }
            }
            case 3 -> lcr = v;
            case 4 -> {
                mcr = v & 0x1F;
                updateIrq();
            }
            case 7 -> scratch = v;
            default -> {
                // FCR and read-only registers: accepted, no effect
            }
        }
    }

    /** IIR: THR-empty interrupt (0x02) if pending and enabled — reading it clears it — else none (0x01). */
    private int readIir() {
        if (threPending && (ier & IER_THRE) != 0) {
            threPending = false;
            updateIrq();
            return 0x02;
        }
        return 0x01;
    }

    private void updateIrq() {
        boolean level = threPending && (ier & IER_THRE) != 0 && (mcr & MCR_OUT2) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
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
