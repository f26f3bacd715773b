package dev.vmscope.engine.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.vmscope.engine.sys.LibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Guest-physical RAM starting at guest address 0, backed by an anonymous host mapping. Every access is
 * bounds-checked: guest-supplied addresses and lengths never reach host memory unchecked.
 */
public final class GuestMemory implements AutoCloseable {
    private final Pointer base;
    private final long size;
    private final ByteBuffer buffer;
    /** Volatile: a reader on another thread (a pane, a sampler) must see the mapping go before touching it. */
    private volatile boolean closed;

    public GuestMemory(long size) {
        if (size <= 0 || size > (1L << 31) || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException("guest memory must be a multiple of 4 KiB between 4 KiB and 2 GiB, was "
                    + size);
        }
        try {
            base = LibC.mmap(null, size, LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        } catch (LastErrorException e) {
            throw new KvmException("mmap of " + size + " bytes of guest memory", e.getErrorCode(), null);
        }
        this.size = size;
        this.buffer = base.getByteBuffer(0, size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public long size() {
        return size;
    }

    long hostAddress() {
        return Pointer.nativeValue(base);
    }

    /** True when [addr, addr+len) lies inside guest RAM. */
    public boolean contains(long addr, long len) {
        return addr >= 0 && len >= 0 && addr <= size && len <= size - addr;
    }

    private void check(long addr, long len) {
        if (closed) {
            throw new IllegalStateException("guest memory is gone: the machine has been closed");
        }
        if (!contains(addr, len)) {
            throw new GuestMemoryException(addr, len, size);
        }
    }

    public void write(long addr, byte[] data) {
        write(addr, data, 0, data.length);
    }

    public void write(long addr, byte[] data, int off, int len) {
        check(addr, len);
        base.write(addr, data, off, len);
    }

    /** Sets {@code len} bytes at {@code addr} to {@code value}. */
    public void fill(long addr, long len, byte value) {
        check(addr, len);
        base.setMemory(addr, len, value);
    }

    public byte[] read(long addr, int len) {
        check(addr, len);
        return base.getByteArray(addr, len);
    }

    public void read(long addr, byte[] dst, int off, int len) {
        check(addr, len);
        base.read(addr, dst, off, len);
    }

    public int readByte(long addr) {
        check(addr, 1);
        return buffer.get((int) addr) & 0xFF;
    }

    public long readLong(long addr) {
        check(addr, 8);
        return buffer.getLong((int) addr);
    }

    public int readInt(long addr) {
        check(addr, 4);
        return buffer.getInt((int) addr);
    }

    public void writeLong(long addr, long v) {
        check(addr, 8);
        buffer.putLong((int) addr, v);
    }

    public void writeInt(long addr, int v) {
        check(addr, 4);
        buffer.putInt((int) addr, v);
    }

    public void writeShort(long addr, short v) {
        check(addr, 2);
        buffer.putShort((int) addr, v);
    }

    public void writeByte(long addr, int v) {
        check(addr, 1);
        buffer.put((int) addr, (byte) v);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.munmap(base, size);
            } catch (LastErrorException ignored) {
                // the mapping dies with the process anyway
            }
        }
    }
}
