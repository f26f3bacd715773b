package dev.vmscope.app.cli;

import dev.vmscope.engine.machine.CpuMode;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.SnapshotLevel;
import dev.vmscope.engine.machine.boot.BootProtocol;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

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

    @Option(names = "--max-exits", paramLabel = "N", defaultValue = "0", description = "Stop after N exits.")
    long maxExits;

    @Option(names = "--loader", paramLabel = "LOADER", description = "Boot protocol, instead of the one the file's"
            + " markers pick: elf, multiboot, linux or flat.")
    String loader;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line (multiboot: after the"
            + " kernel's file name, as GRUB and QEMU pass it; Linux).")
    String append;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk (Linux) or module (multiboot).")
    Path initrd;

    @Option(names = "--kvm-device", paramLabel = "PATH", defaultValue = MachineConfig.DEFAULT_KVM,
            description = "The KVM device (default ${DEFAULT-VALUE}).")
    String kvmDevice;

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
            b.memory(GuestSpec.parseSize(memory, null));
        }
        if (append != null) {
            b.cmdline(append);
        }
        if (initrd != null) {
            b.initrd(GuestSpec.readImage(initrd));
        }
        if (maxExits < 0) {
            throw new IllegalArgumentException("--max-exits must not be negative");
        }
        return b.snapshot(SnapshotLevel.parse(snapshot)).trapMsrs(trapMsrs).maxExits(maxExits)
                .kvmDevice(kvmDevice).build();
    }
}
