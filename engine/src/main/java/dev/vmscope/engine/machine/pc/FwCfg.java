package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.io.IoDevice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * QEMU's firmware-configuration interface, I/O-port flavour: a 16-bit selector written to 0x510, then the
 * item's bytes read one at a time from 0x511. Answers the signature, the interface ID, the CPU counts, the
 * RAM size and an empty file directory, as QEMU's fw_cfg does; other items read as zeros.
 */
public final class FwCfg implements IoDevice {
    public static final int SELECTOR = 0x510;
    public static final int DATA = 0x511;

    static final int SIGNATURE = 0x00;
    static final int ID = 0x01;
    static final int RAM_SIZE = 0x03;
    static final int NB_CPUS = 0x05;
    static final int MAX_CPUS = 0x0F;
    static final int FILE_DIR = 0x19;

    private final Map<Integer, byte[]> items;
    private byte[] current = new byte[0];
    private int offset;

    public FwCfg(int cpus, long memoryBytes) {
        items = Map.of(
                SIGNATURE, new byte[]{'Q', 'E', 'M', 'U'},
                ID, le(4, 1),                 // traditional interface only, no DMA
                RAM_SIZE, le(8, memoryBytes),
                NB_CPUS, le(2, cpus),
                MAX_CPUS, le(2, cpus),
                FILE_DIR, new byte[4]);       // big-endian count of files: none
    }

    private static byte[] le(int n, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        byte[] out = new byte[n];
        System.arraycopy(b.array(), 0, out, 0, n);
        return out;
    }

    @Override
    public synchronized long in(int port, int size) {
        if (port != DATA) {
            return 0;
        }
        long v = 0;
        for (int i = 0; i < size; i++) {   // wider reads take consecutive bytes, little-endian
            int b = offset < current.length ? current[offset] & 0xFF : 0;
            offset++;
            v |= (long) b << (8 * i);
        }
        return v;
    }

    @Override
    public synchronized void out(int port, int size, long value) {
        if (port == SELECTOR) {
            current = items.getOrDefault((int) (value & 0x3FFF), new byte[0]);
            offset = 0;
        }
    }
}
