package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.machine.boot.BootProtocol;
import dev.vmscope.engine.machine.boot.E820;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * samples/mbkernel on real KVM: a multiboot kernel that prints the boot information it received, sends a line
 * from the UART interrupt handler, starts the second CPU with INIT/SIPI and exits through the debug-exit port.
 */
class MultibootKernelTest {
    private static final int SUCCESS = (0x10 << 1) | 1;

    private static boolean ioOn(ExitRecord e, int port, boolean out) {
        return e.exit() instanceof KvmExit.Io io && io.port() == port && io.out() == out;
    }

    @Test
    void kernelReportsItsBootInfoTakesUartInterruptsAndStartsTheSecondCpu() {
        GuestSpec.Manifest manifest = GuestSpec.readManifest(KvmTests.sample("mbkernel"));
        GuestRun r = GuestRun.sample("mbkernel");
        String console = r.console();
        assertThat(manifest.memory()).isEqualTo(16L << 20);
        assertThat(manifest.vcpus()).isEqualTo(2);
        long memory = manifest.memory();

        assertThat(r.outcome().kind()).as("outcome; console:%n%s", console).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).as("status; console:%n%s", console).isEqualTo(SUCCESS);
        assertThat(r.outcome().exitCode()).isEqualTo(SUCCESS);

        // what the multiboot loader wrote, as the kernel read it back
        long upperKiB = (memory - (1 << 20) - Loader.RESERVED_TOP) / 1024;
        assertThat(console).contains("mem_lower=639KiB mem_upper=" + upperKiB + "KiB\n");
        assertThat(manifest.cmdline()).isEqualTo("hello from vmscope");
        assertThat(console).as("argv[0] is the kernel's name").contains("cmdline=mbkernel " + manifest.cmdline() + "\n");
        List<E820> map = E820.map(memory, Loader.RESERVED_TOP);
        StringBuilder mmap = new StringBuilder();
        for (E820 e : map) {
            mmap.append(String.format("mmap base=0x%016x len=0x%016x type=%d\n", e.base(), e.length(), e.type()));
        }
        assertThat(console).as("every memory-map entry, in order").contains(mmap);
        assertThat(console.split("mmap base=", -1)).as("no other entries").hasSize(map.size() + 1);

        // the interrupt-driven line, and the kernel's count of UART interrupts
        String irqLine = "interrupt-driven: this line went out one byte per UART interrupt (IRQ 4)\n";
        assertThat(console).contains(irqLine);
        Matcher m = Pattern.compile("uart interrupts: (\\d+)\n").matcher(console);
        assertThat(m.find()).as("interrupt count line in%n%s", console).isTrue();
        int irqs = Integer.parseInt(m.group(1));
        assertThat(irqs).isPositive();
        // one per byte, and a last one that finds the line done
        assertThat(irqs).isEqualTo(irqLine.length() + 1);
        // each UART interrupt's handler reads IIR (0x3FA) once: the exits agree with the kernel's count
        assertThat(r.exits()).filteredOn(e -> ioOn(e, 0x3FA, false)).hasSize(irqs)
                .allSatisfy(e -> assertThat(e.vcpu()).as("the PIC interrupts the boot CPU").isZero());

        assertThat(console).contains("cpu1 up\n");
        assertThat(console).endsWith("all cpus up\n");
        assertThat(console.indexOf("cpu1 up")).isLessThan(console.indexOf("all cpus up"));

        // vCPU 1 ran (started by INIT/SIPI from the guest) and its UART writes are its own exits
        assertThat(r.exits()).filteredOn(e -> e.vcpu() == 1).isNotEmpty();
        assertThat(r.exits()).filteredOn(e -> ioOn(e, 0x3F8, true)).extracting(ExitRecord::vcpu)
                .contains(0, 1);
        String cpu1Bytes = r.exits().stream().filter(e -> e.vcpu() == 1 && ioOn(e, 0x3F8, true))
                .map(e -> String.valueOf((char) ((KvmExit.Io) e.exit()).value()))
                .reduce("", String::concat);
        assertThat(cpu1Bytes).isEqualTo("cpu1 up\n");
        assertThat(r.exits()).filteredOn(e -> ioOn(e, 0xF4, true)).singleElement().satisfies(e -> {
            assertThat(e.vcpu()).as("the boot CPU ends the run").isZero();
            assertThat(((KvmExit.Io) e.exit()).value()).isEqualTo(0x10);
        });
    }

    @Test
    void withoutAMultibootLoaderItSaysSoAndFails() {
        // the same bytes as a flat protected-mode image: EAX is 0, not 0x2BADB002
        GuestRun r = GuestRun.sample("mbkernel", b -> b.boot(BootProtocol.FLAT).mode(CpuMode.PROTECTED)
                .load(0x100000).entry(0x100000));
        assertThat(r.console()).isEqualTo("not started by a multiboot loader: eax=0x00000000\n");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).isEqualTo((0x11 << 1) | 1);
    }

    @Test
    void withOneVcpuTheBoundedWaitForCpu1Fails() {
        GuestRun r = GuestRun.sample("mbkernel", b -> b.vcpus(1));
        assertThat(r.console()).contains("uart interrupts: ").endsWith("cpu1 did not come up\n");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).isEqualTo((0x14 << 1) | 1);
    }
}
