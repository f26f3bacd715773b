package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.kernel.KernelTracer;
import dev.vmscope.engine.machine.boot.BootProtocol;
import dev.vmscope.engine.machine.boot.RamLayout;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.symbols.Symbols;

/**
 * Everything needed to build and run one guest. {@code maxExits} 0 means no limit; {@code kernelEvents} null
 * means no kernel tracepoints; {@code liveExits} is how many recent exits stay in memory before older ones
 * move to a temporary file, 0 for {@link #defaultLiveExits()}; {@code symbols} are the image's own unless a
 * file was given ({@code --symbols}).
 */
public record MachineConfig(String name, byte[] image, long load, long entry, CpuMode mode, int vcpus,
                            long memoryBytes, SnapshotLevel snapshot, boolean trapMsrs, long maxExits,
                            String kvmDevice, BootProtocol boot, String cmdline, byte[] initrd, boolean pc,
                            KernelTracer.Options kernelEvents, long liveExits, SymbolTable symbols) {

    public static final long DEFAULT_MEMORY = 2L << 20;
    public static final long MIN_MEMORY = 64 * 1024;
    /** The most RAM a configuration may ask for; the host's own limit (its guests' physical address width) is
     *  checked when the machine is built. */
    public static final long MAX_MEMORY = 1L << 40;
    public static final String DEFAULT_KVM = "/dev/kvm";
    /** Kernels get a PC-sized default. */
    public static final long DEFAULT_KERNEL_MEMORY = 128L << 20;
    /** What one exit kept in memory costs at most, about: 10 bytes of columns, 16-40 of chunk, slack. */
    private static final long LIVE_BYTES_PER_EXIT = 64;
    /** The fewest exits kept in memory (a bound lower than this only makes the run read its file more). */
    public static final long MIN_LIVE_EXITS = 1 << 16;

    /** The default live bound: a quarter of the largest heap this JVM may take (-Xmx), at 64 bytes an exit. */
    public static long defaultLiveExits() {
        return Math.max(MIN_LIVE_EXITS, Runtime.getRuntime().maxMemory() / 4 / LIVE_BYTES_PER_EXIT);
    }

    /** {@link #liveExits} with its default applied. */
    public long liveExitsBound() {
        return liveExits > 0 ? liveExits : defaultLiveExits();
    }

    public MachineConfig {
        if (image == null || image.length == 0) {
            throw new GuestConfigException("guest image '" + name + "' is empty");
        }
        if (vcpus < 1 || vcpus > 64) {
            throw new GuestConfigException("vCPU count must be 1..64, was " + vcpus);
        }
        if (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY || (memoryBytes & 0xFFF) != 0) {
            throw new GuestConfigException("memory must be a multiple of 4 KiB from " + Quantities.bytes(MIN_MEMORY)
                    + " to " + Quantities.bytes(MAX_MEMORY) + ", was " + Quantities.bytes(memoryBytes));
        }
        long low = RamLayout.reservedBase(memoryBytes, Loader.RESERVED_TOP);
        if (boot == BootProtocol.FLAT && (load < 0 || load + image.length > low)) {
            throw new GuestConfigException(String.format(
                    "guest image '%s' (%d bytes at 0x%x) does not fit in guest memory (%d bytes; the %d KiB"
                            + " from 0x%x are the loader's)", name, image.length, load, memoryBytes,
                    Loader.RESERVED_TOP / 1024, low));
        }
        if (entry < 0 || entry >= RamLayout.lowBytes(memoryBytes)) {
            throw new GuestConfigException(String.format("entry point 0x%x lies outside guest memory", entry));
        }
        if (mode == CpuMode.REAL && entry > 0xFFFFF) {
            throw new GuestConfigException(String.format("real-mode entry 0x%x is above 1 MiB", entry));
        }
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, image);
        b.load = load;
        b.entry = entry;
        b.mode = mode;
        b.vcpus = vcpus;
        b.memoryBytes = memoryBytes;
        b.snapshot = snapshot;
        b.trapMsrs = trapMsrs;
        b.maxExits = maxExits;
        b.kvmDevice = kvmDevice;
        b.boot = boot;
        b.cmdline = cmdline;
        b.initrd = initrd;
        b.pc = pc;
        b.kernelEvents = kernelEvents;
        b.liveExits = liveExits;
        b.symbols = symbols;
        return b;
    }

    public static Builder builder(String name, byte[] image) {
        return new Builder(name, image);
    }

    /** Defaults: load and entry 0x1000, real mode, 1 vCPU, 2 MiB, fast snapshots, /dev/kvm. */
    public static final class Builder {
        private final String name;
        private final byte[] image;
        private long load = 0x1000;
        private Long entry;
        private CpuMode mode = CpuMode.REAL;
        private int vcpus = 1;
        private long memoryBytes = DEFAULT_MEMORY;
        private boolean memorySet;
        private SnapshotLevel snapshot = SnapshotLevel.FAST;
        private boolean trapMsrs;
        private long maxExits;
        private String kvmDevice = DEFAULT_KVM;
        private BootProtocol boot = BootProtocol.FLAT;
        private String cmdline = "";
        private byte[] initrd;
        private boolean pc;
        private KernelTracer.Options kernelEvents;
        private long liveExits;
        private SymbolTable symbols;

        private Builder(String name, byte[] image) {
            this.name = name;
            this.image = image;
        }

        public Builder load(long v) { load = v; return this; }
        public Builder entry(long v) { entry = v; return this; }
        public Builder mode(CpuMode v) { mode = v; return this; }
        public Builder vcpus(int v) { vcpus = v; return this; }
        public Builder memory(long v) { memoryBytes = v; memorySet = true; return this; }
        public Builder snapshot(SnapshotLevel v) { snapshot = v; return this; }
        public Builder trapMsrs(boolean v) { trapMsrs = v; return this; }
        public Builder maxExits(long v) { maxExits = v; return this; }
        public Builder kvmDevice(String v) { kvmDevice = v; return this; }
        public Builder boot(BootProtocol v) { boot = v; return this; }
        public Builder cmdline(String v) { cmdline = v; return this; }
        public Builder initrd(byte[] v) { initrd = v; return this; }
        /** A PC: in-kernel interrupt controllers and PIT, the standard devices, APs started by INIT/SIPI. */
        public Builder pc(boolean v) { pc = v; return this; }
        /** Capture KVM's tracepoints beside the exits (null: off). */
        public Builder kernelEvents(KernelTracer.Options v) { kernelEvents = v; return this; }
        /** Exits kept in memory before older ones move to a temporary file (0: sized from the heap). */
        public Builder liveExits(long v) { liveExits = v; return this; }
        /** Symbols for addresses (null: the image's own ELF symbol table, if it has one). */
        public Builder symbols(SymbolTable v) { symbols = v; return this; }

        /**
         * Boots with {@code v} whatever the file's markers say ({@code --loader}); a kernel loader brings the PC
         * and, unless a size was given, the kernels' default RAM.
         */
        public Builder loader(BootProtocol v) {
            boot = v;
            if (v != BootProtocol.FLAT) {
                pc = true;
                if (!memorySet) {
                    memoryBytes = DEFAULT_KERNEL_MEMORY;
                }
            }
            return this;
        }

        public MachineConfig build() {
            return new MachineConfig(name, image, load, entry == null ? load : entry, mode, vcpus, memoryBytes,
                    snapshot, trapMsrs, maxExits, kvmDevice, boot, cmdline, initrd, pc, kernelEvents, liveExits,
                    symbols != null ? symbols : Symbols.ofImage(image));
        }
    }
}
