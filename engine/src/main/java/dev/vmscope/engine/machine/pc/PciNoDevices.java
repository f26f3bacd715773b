package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.io.IoDevice;

/**
 * PCI configuration mechanism #1 (0xCF8 address, 0xCFC–0xCFF data) on a bus with nothing on it: the address
 * register reads back, every configuration read returns all ones, which is how a guest learns "no device".
 */
public final class PciNoDevices implements IoDevice {
    public static final int ADDRESS = 0xCF8;
    public static final int DATA = 0xCFC;

    private int address;

    @Override
    public synchronized long in(int port, int size) {
        if (port >= ADDRESS && port < ADDRESS + 4) {
            return (address >>> (8 * (port - ADDRESS))) & mask(size);
        }
        return mask(size);
    }

    @Override
    public synchronized void out(int port, int size, long value) {
        if (port == ADDRESS && size == 4) {
            address = (int) value;
        }
    }

    private static long mask(int size) {
        return size >= 4 ? 0xFFFFFFFFL : (1L << (8 * size)) - 1;
    }
}
