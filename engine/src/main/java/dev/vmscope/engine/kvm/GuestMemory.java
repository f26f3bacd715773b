package dev.vmscope.engine.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import dev.vmscope.engine.sys.LibC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Guest-physical RAM: one or more regions (KVM memory slots), all backed by one anonymous host mapping in order.
 * A PC with 2.75 GiB or more has two: RAM below the PCI hole and the rest remapped above 4 GiB. Every access is
 * bounds-checked, and one that spans regions is split at their edges: guest-supplied addresses and lengths never
 * reach host memory unchecked, and a byte in a hole is an error, never another region's byte.
 */
public final class GuestMemory implements AutoCloseable {
    /** A run of guest-physical RAM [guestPhys, guestPhys + size), at {@code hostOffset} in the mapping. */
    public record Region(long guestPhys, long size, long hostOffset) {
        public long end() {
            return guestPhys + size;
        }
    }

    private final Pointer base;
    private final long size;
    private final Region[] regions;
    /** Volatile: a reader on another thread (a pane, a sampler) must see the mapping go before touching it. */
    private volatile boolean closed;

    /** {@code size} bytes of RAM from guest address 0. */
    public GuestMemory(long size) {
        this(List.of(size), List.of(0L));
    }

    /**
     * RAM of {@code sizes[i]} bytes at guest address {@code starts[i]}, in ascending order without overlap; each a
     * multiple of 4 KiB.
     */
    public GuestMemory(List<Long> sizes, List<Long> starts) {
        regions = new Region[sizes.size()];
        long total = 0;
        long prevEnd = 0;
        for (int i = 0; i < regions.length; i++) {
            long s = sizes.get(i);
            long at = starts.get(i);
            if (s <= 0 || (s & 0xFFF) != 0 || (at & 0xFFF) != 0 || at < prevEnd) {
                throw new IllegalArgumentException(String.format("guest memory region %d (0x%x bytes at 0x%x) is not"
                        + " 4 KiB aligned, empty or out of order", i, s, at));
            }
            regions[i] = new Region(at, s, total);
            total += s;
            prevEnd = at + s;
        }
        try {
            base = LibC.mmap(null, total, LibC.PROT_READ | LibC.PROT_WRITE,
                    LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        } catch (LastErrorException e) {
            throw new KvmException("mmap of " + total + " bytes of guest memory", e.getErrorCode(), null);
        }
        this.size = total;
    }

    /** Bytes of RAM in all regions together. */
    public long size() {
        return size;
    }

    public List<Region> regions() {
        return List.of(regions);
    }

    /** End of the RAM that starts at address 0: what lies below the PCI hole (or all RAM when there is no hole). */
    public long lowEnd() {
        return regions[0].end();
    }

    long hostAddress(Region r) {
        return Pointer.nativeValue(base) + r.hostOffset();
    }

    private Region regionOf(long addr) {
        for (Region r : regions) {
            if (addr >= r.guestPhys() && addr < r.end()) {
                return r;
            }
        }
        return null;
    }

    /** Bytes of RAM from {@code addr} on without a hole (regions that touch count as one run); 0 outside RAM. */
    public long contiguousFrom(long addr) {
        long n = 0;
        long at = addr;
        Region r;
        while ((r = regionOf(at)) != null) {
            n += r.end() - at;
            at = r.end();
        }
        return n;
    }

    /** True when every byte of [addr, addr+len) is RAM. */
    public boolean contains(long addr, long len) {
        return addr >= 0 && len >= 0 && (len == 0 ? regionOf(addr) != null || addr == lowEnd()
                : contiguousFrom(addr) >= len);
    }

    /** The host offset of guest {@code addr} after checking [addr, addr+len) lies in one region. */
    private long offset(long addr, long len) {
        if (closed) {
            throw new IllegalStateException("guest memory is gone: the machine has been closed");
        }
        Region r = regionOf(addr);
        if (r == null || len > r.end() - addr) {
            throw new GuestMemoryException(addr, len, size);
        }
        return r.hostOffset() + addr - r.guestPhys();
    }

    /** Visits [addr, addr+len) one region at a time: (host offset, bytes done so far, bytes in this piece). */
    private interface Piece {
        void at(long hostOffset, long done, long n);
    }

    private void pieces(long addr, long len, Piece p) {
        if (closed) {
            throw new IllegalStateException("guest memory is gone: the machine has been closed");
        }
        if (!contains(addr, len)) {
            throw new GuestMemoryException(addr, len, size);
        }
        long done = 0;
        while (done < len) {
            Region r = regionOf(addr + done);
            long n = Math.min(len - done, r.end() - (addr + done));
            p.at(r.hostOffset() + addr + done - r.guestPhys(), done, n);
            done += n;
        }
    }

    public void write(long addr, byte[] data) {
        write(addr, data, 0, data.length);
    }

    public void write(long addr, byte[] data, int off, int len) {
        pieces(addr, len, (host, done, n) -> base.write(host, data, off + (int) done, (int) n));
    }

    /** Sets {@code len} bytes at {@code addr} to {@code value}. */
    public void fill(long addr, long len, byte value) {
        pieces(addr, len, (host, done, n) -> base.setMemory(host, n, value));
    }

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    public void read(long addr, byte[] dst, int off, int len) {
        pieces(addr, len, (host, done, n) -> base.read(host, dst, off + (int) done, (int) n));
    }

    public int readByte(long addr) {
        return base.getByte(offset(addr, 1)) & 0xFF;
    }

    public long readLong(long addr) {
        return inOneRegion(addr, 8) ? base.getLong(offset(addr, 8)) : le(read(addr, 8)).getLong();
    }

    public int readInt(long addr) {
        return inOneRegion(addr, 4) ? base.getInt(offset(addr, 4)) : le(read(addr, 4)).getInt();
    }

    public void writeLong(long addr, long v) {
        if (inOneRegion(addr, 8)) {
            base.setLong(offset(addr, 8), v);
        } else {
            write(addr, le(new byte[8]).putLong(v).array());
        }
    }

    public void writeInt(long addr, int v) {
        if (inOneRegion(addr, 4)) {
            base.setInt(offset(addr, 4), v);
        } else {
            write(addr, le(new byte[4]).putInt(v).array());
        }
    }

    public void writeShort(long addr, short v) {
        write(addr, le(new byte[2]).putShort(v).array());
    }

    public void writeByte(long addr, int v) {
        base.setByte(offset(addr, 1), (byte) v);
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** True when [addr, addr+len) is RAM inside a single region (the fast path of the word accessors). */
    private boolean inOneRegion(long addr, int len) {
        Region r = regionOf(addr);
        return r != null && len <= r.end() - addr;
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
