package dev.vmscope.engine.machine.io;

/**
 * Routes port I/O to devices by port number (a direct table: no lookup cost on the exit path). Unclaimed
 * ports behave as an open bus: reads return all ones, writes are dropped. The exit is recorded either way.
 */
public final class IoBus {
    private final IoDevice[] ports = new IoDevice[65536];

    public void register(int firstPort, int count, IoDevice device) {
        for (int p = firstPort; p < firstPort + count; p++) {
            if (ports[p] != null) {
                throw new IllegalStateException(String.format("port 0x%x already claimed", p));
            }
            ports[p] = device;
        }
    }

    public boolean claimed(int port) {
        return ports[port & 0xFFFF] != null;
    }

    public long in(int port, int size) {
        IoDevice d = ports[port & 0xFFFF];
        return d == null ? openBus(size) : d.in(port, size);
    }

    public void out(int port, int size, long value) {
        IoDevice d = ports[port & 0xFFFF];
        if (d != null) {
            d.out(port, size, value);
        }
    }

    public static long openBus(int size) {
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;
    }
}
