package dev.vmscope.app.cli;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.kernel.KernelEventStore;
import dev.vmscope.engine.kernel.KernelTracer;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.Quantities;
import dev.vmscope.engine.machine.SnapshotLevel;
import dev.vmscope.engine.machine.boot.BootProtocol;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import dev.vmscope.engine.symbols.Symbols;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Stack;

/** The options every command that runs a guest shares. */
public final class GuestOptions {
    @Parameters(index = "0", paramLabel = "GUEST", description = "A sample directory (with sample.properties) or a"
            + " flat guest image.")
    Path guest;

    @Option(names = "--mode", paramLabel = "MODE", description = "CPU mode to start in: real, protected or long.")
    String mode;

    @Option(names = "--load", paramLabel = "ADDR", description = "Guest-physical load address (default 0x1000).")
    String load;

    @Option(names = "--entry", paramLabel = "ADDR", description = "Entry point (default: the load address).")
    String entry;

    @Option(names = "--vcpus", paramLabel = "N", description = "Number of vCPUs (one thread each).")
    Integer vcpus;

    @Option(names = "--mem", paramLabel = "SIZE", description = "Guest RAM, e.g. 2M, 64M (default 2M).")
    String memory;

    @Option(names = "--snapshot", paramLabel = "LEVEL", defaultValue = "fast",
            description = "State captured per exit: fast (regs, sregs, events) or full (plus debug registers, MSRs,"
                    + " MP state). Default: ${DEFAULT-VALUE}.")
    String snapshot;

    @Option(names = "--trap-msrs", description = "Make every RDMSR/WRMSR exit to vmscope (served with the vCPU's real"
            + " MSR values) so they are captured and breakable.")
    boolean trapMsrs;

    @Option(names = "--max-exits", paramLabel = "N", description = "Stop after N exits (1 or more).")
    String maxExits;

    @Option(names = "--live-exits", paramLabel = "N", description = "Keep about the N most recent exits in memory;"
            + " older ones move to a temporary file and read back from there (default: a quarter of the heap at"
            + " 64 bytes an exit).")
    String liveExits;

    @Option(names = "--loader", paramLabel = "LOADER", description = "Boot protocol, instead of the one the file's"
            + " markers pick: elf, multiboot, linux or flat.")
    String loader;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line (multiboot: after the"
            + " kernel's file name, as GRUB and QEMU pass it; Linux).")
    String append;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk (Linux) or module (multiboot).")
    Path initrd;

    @Option(names = "--kernel-events", arity = "0..1", paramLabel = "all", fallbackValue = "kvm",
            parameterConsumer = KernelEventsValue.class,
            description = "Also capture KVM's tracepoints (kvm group; =all adds kvmmmu): what the kernel did between"
                    + " exits. Needs root or tracefs access; without it one line says why and the run goes on.")
    String kernelEvents;

    @Option(names = "--kernel-buffer", paramLabel = "KB", description = "Per-CPU buffer for kernel events in KiB"
            + " (default " + KernelTracer.DEFAULT_BUFFER_KB + ").")
    Integer kernelBufferKb;

    @Option(names = "--live-kernel-events", paramLabel = "N", description = "Keep about the N most recent kernel"
            + " events in memory; older ones move to a temporary file and read back from there (default: a quarter"
            + " of the heap at 64 bytes an event).")
    String liveKernelEvents;

    @Option(names = "--symbols", paramLabel = "FILE", description = "Symbols for addresses: a System.map or an ELF"
            + " file such as vmlinux (ELF guests bring their own).")
    Path symbols;

    @Option(names = "--kaslr-offset", paramLabel = "N", description = "Added to every --symbols address (the"
            + " kernel's KASLR slide, e.g. 0x1e00000).")
    String kaslrOffset;

    @Option(names = "--kvm-device", paramLabel = "PATH", defaultValue = MachineConfig.DEFAULT_KVM,
            description = "The KVM device (default ${DEFAULT-VALUE}).")
    String kvmDevice;

    /**
     * {@code --kernel-events} takes a value only as {@code =all} or a following {@code all}: a plain
     * {@code --kernel-events samples/hello} must leave the guest to be the guest.
     */
    static final class KernelEventsValue implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            String next = args.isEmpty() ? null : args.peek();
            argSpec.setValue(next != null && (next.equals("all") || next.equals("kvm")) ? args.pop() : "kvm");
        }
    }

    /** What --kernel-events, --kernel-buffer and --live-kernel-events ask for; null when kernel events are off. */
    private KernelTracer.Options kernelOptions() {
        if (kernelEvents == null) {
            if (kernelBufferKb != null || liveKernelEvents != null) {
                throw new IllegalArgumentException((kernelBufferKb != null ? "--kernel-buffer" : "--live-kernel-events")
                        + " needs --kernel-events");
            }
            return null;
        }
        if (!kernelEvents.equals("kvm") && !kernelEvents.equals("all")) {
            throw new IllegalArgumentException("--kernel-events takes no value or 'all', not '" + kernelEvents + "'");
        }
        int kb = kernelBufferKb == null ? KernelTracer.DEFAULT_BUFFER_KB : kernelBufferKb;
        if (kb < 4 || kb > 1 << 20) {
            throw new IllegalArgumentException("--kernel-buffer must be 4 to 1048576 KiB");
        }
        long live = liveKernelEvents == null ? 0 : Quantities.count(liveKernelEvents, "--live-kernel-events",
                KernelEventStore.MIN_LIVE_EVENTS, Quantities.MAX_COUNT);
        return new KernelTracer.Options(kernelEvents.equals("all"), kb, live);
    }

    /** The machine these options describe; problems surface as GuestConfigException. */
    MachineConfig config() {
        MachineConfig.Builder b = GuestSpec.resolve(guest);
        if (loader != null) {
            b.loader(BootProtocol.parse(loader));
        }
        if (mode != null) {
            b.mode(CpuMode.parse(mode));
        }
        if (load != null) {
            b.load(GuestSpec.parseNumber(load, "--load", null));
        }
        if (entry != null) {
            b.entry(GuestSpec.parseNumber(entry, "--entry", null));
        } else if (load != null) {
            b.entry(GuestSpec.parseNumber(load, "--load", null));
        }
        if (vcpus != null) {
            b.vcpus(vcpus);
        }
        if (memory != null) {
            b.memory(GuestSpec.memory(memory, "--mem"));
        }
        if (append != null) {
            b.cmdline(append);
        }
        if (initrd != null) {
            b.initrd(GuestSpec.readFile(initrd, "initrd"));
        }
        long limit = maxExits == null ? 0 : Quantities.count(maxExits, "--max-exits", 1, Quantities.MAX_COUNT);
        b.kernelEvents(kernelOptions());
        if (symbols != null) {
            b.symbols(Symbols.load(symbols, kaslrOffset == null ? 0 : GuestSpec.parseNumber(kaslrOffset,
                    "--kaslr-offset", null)));
        } else if (kaslrOffset != null) {
            throw new IllegalArgumentException("--kaslr-offset needs --symbols");
        }
        if (liveExits != null) {
            b.liveExits(Quantities.count(liveExits, "--live-exits", MachineConfig.MIN_LIVE_EXITS, Quantities.MAX_COUNT));
        }
        return b.snapshot(SnapshotLevel.parse(snapshot)).trapMsrs(trapMsrs).maxExits(limit)
                .kvmDevice(kvmDevice).build();
    }
}
