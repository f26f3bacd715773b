package dev.vmscope.engine.kernel;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.testing.TracefsTests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KVM's tracepoints captured beside real guests' exits on this host (root and tracefs in CI; with
 * VMSCOPE_REQUIRE_KVM=1 a missing tracefs fails these instead of skipping them).
 */
class KernelEventsOnGuestsTest {

    private static GuestRun traced(String sample) {
        TracefsTests.requireTracefs();
        GuestRun run = GuestRun.sample(sample, b -> b.kernelEvents(KernelTracer.Options.DEFAULT));
        KernelCapture c = run.store().kernelEvents().capture();
        assertThat(c.on()).as(c.note()).isTrue();
        return run;
    }

    /** The exits of one vCPU, in order. */
    private static List<ExitRecord> exitsOf(GuestRun run, int vcpu) {
        return run.exits().stream().filter(e -> e.vcpu() == vcpu).toList();
    }

    /** vCPU {@code vcpu}'s kernel events after its previous exit up to (and at) exit {@code e}. */
    private static List<KernelEvent> before(GuestRun run, ExitRecord e) {
        long prev = run.store().columns().previousOfVcpu(e.vcpu(), e.seq(), Long.MAX_VALUE);
        long after = prev < 0 ? Long.MIN_VALUE : run.store().columns().timeNs(prev);
        return run.store().kernelEvents().between(e.vcpu(), after, e.timeNs(), Integer.MAX_VALUE);
    }

    @Test
    void helloEmulatedInstructionsCarryTheGuestsBytesAtItsRipsInOrder() throws IOException {
        GuestRun run = traced("hello");
        byte[] image = Files.readAllBytes(KvmTests.sample("hello").resolve("hello.bin"));
        long load = 0x1000;
        List<KernelEvent> first = before(run, run.exits().get(0)).stream()
                .filter(k -> k.name().equals("kvm_emulate_insn")).toList();
        assertThat(first).as("emulated instructions before the first exit").isNotEmpty();
        long expectRip = load;   // straight-line code from the entry point to the first OUT
        for (KernelEvent k : first) {
            long rip = k.number("rip");
            int len = (int) k.number("len");
            assertThat(rip).as("RIP of " + k).isEqualTo(expectRip);
            byte[] own = Arrays.copyOfRange(image, (int) (rip - load), (int) (rip - load) + len);
            assertThat(Arrays.copyOf(k.bytes("insn"), len)).as("bytes of " + k).isEqualTo(own);
            expectRip = rip + len;
        }
        KernelEvent last = first.get(first.size() - 1);
        assertThat(last.bytes("insn")[0]).as("the last one is the OUT that exits").isEqualTo((byte) 0xEE);
        assertThat(last.summary()).contains("out dx, al");
    }

    @Test
    void helloEachIoExitIsPrecededByTheKernelsPortWriteOfItsCharacter() {
        GuestRun run = traced("hello");
        int ioExits = 0;
        for (ExitRecord e : run.exits()) {
            if (e.exit() instanceof KvmExit.Io io && io.port() == 0x3F8) {
                ioExits++;
                List<KernelEvent> pio = before(run, e).stream().filter(k -> k.name().equals("kvm_pio")).toList();
                assertThat(pio).as("kvm_pio before exit #" + e.seq()).hasSize(1);
                assertThat(pio.get(0).number("port")).isEqualTo(0x3F8);
                assertThat(pio.get(0).number("rw")).as("a write").isEqualTo(1);
                assertThat(pio.get(0).number("val")).isEqualTo(io.data()[0] & 0xFF);
            }
        }
        assertThat(ioExits).isEqualTo("Hello from real mode!\n".length());
    }

    @Test
    void everyExitHasItsKernelUserspaceExitJustBeforeIt_theClocksAlign() {
        for (String sample : List.of("hello", "smp")) {
            GuestRun run = traced(sample);
            for (ExitRecord e : run.exits()) {
                List<KernelEvent> mine = before(run, e).stream()
                        .filter(k -> k.name().equals("kvm_userspace_exit")).toList();
                if (e.reason() == KvmExitReason.INTR) {
                    continue;   // a kick: KVM_RUN may return EINTR without entering
                }
                assertThat(mine).as(sample + " exit #" + e.seq() + " " + e.reason()).hasSize(1);
                assertThat(mine.get(0).number("reason")).isEqualTo(e.exit().reason().code);
                long gap = e.timeNs() - mine.get(0).timeNs();
                assertThat(gap).as("exit time minus the kernel's, ns").isBetween(0L, 100_000_000L);
            }
        }
    }

    @Test
    void everyKernelEventLiesBetweenTheNeighbouringExitsOfItsVcpu() {
        for (String sample : List.of("smp", "mbkernel")) {
            GuestRun run = traced(sample);
            KernelEvents k = run.store().kernelEvents();
            long counted = 0;
            for (int v = 0; v < run.store().machine().vcpus(); v++) {
                List<ExitRecord> exits = exitsOf(run, v);
                assertThat(exits).isNotEmpty();
                long prev = Long.MIN_VALUE;
                for (ExitRecord e : exits) {
                    counted += k.countBetween(v, prev, e.timeNs());
                    prev = e.timeNs();
                }
                assertThat(k.between(v, prev, Long.MAX_VALUE, 10)).as(sample + " vCPU " + v
                        + ": events after its last exit").isEmpty();
            }
            assertThat(counted).as(sample + ": every event falls between two exits of its vCPU").isEqualTo(k.size());
            for (long i = 1; i < k.size(); i++) {
                assertThat(k.timeNs(i)).isGreaterThanOrEqualTo(k.timeNs(i - 1));
            }
        }
    }

    @Test
    void mbkernelInterruptsAndPicPortsTheKernelServedAppearBetweenUserSpaceExits() {
        GuestRun run = traced("mbkernel");
        KernelEvents k = run.store().kernelEvents();
        List<KernelEvent> raised = new ArrayList<>();
        List<KernelEvent> picPorts = new ArrayList<>();
        long acked = 0;
        for (long i = 0; i < k.size(); i++) {
            String name = k.name(i);
            if (name.equals("kvm_set_irq") || name.equals("kvm_pio") || name.equals("kvm_ack_irq")) {
                KernelEvent e = k.get(i);
                if (name.equals("kvm_set_irq") && e.number("gsi") == 4 && e.number("level") == 1) {
                    raised.add(e);
                } else if (name.equals("kvm_pio") && (e.number("port") == 0x20 || e.number("port") == 0x21)) {
                    picPorts.add(e);
                } else if (name.equals("kvm_ack_irq") && e.number("pin") == 4) {
                    acked++;
                }
            }
        }
        // the UART's line (IRQ 4) is the interrupt mbkernel takes: one per byte plus the last, 74
        assertThat(raised).as("IRQ 4 raised").hasSize(74);
        assertThat(acked).as("IRQ 4 acknowledged by the in-kernel PIC").isEqualTo(74);
        long firstIrqExit = 833;   // the IER write that raises IRQ 4 first (samples/mbkernel/README)
        assertThat(raised.get(0).timeNs()).isGreaterThan(run.exits().get((int) firstIrqExit - 1).timeNs());
        // the PIC's ports are served in the kernel: seen as kvm_pio, never as a user-space exit
        assertThat(picPorts).as("PIC remap, masks and EOIs").hasSizeGreaterThanOrEqualTo(74);
        assertThat(run.exits()).noneMatch(e -> e.exit() instanceof KvmExit.Io io
                && (io.port() == 0x20 || io.port() == 0x21));
        assertThat(k.countsByName()).containsKeys("kvm_pic_set_irq", "kvm_ioapic_set_irq", "kvm_eoi", "kvm_apic");
    }

    @Test
    void msrKernelEventsMatchTheGuestsRdmsrAndWrmsr() {
        TracefsTests.requireTracefs();
        // the guest's own MSR accesses, as user-space exits when trapped
        GuestRun trapped = GuestRun.sample("msr", b -> b.trapMsrs(true));
        List<String> guest = trapped.exits().stream().filter(e -> e.exit() instanceof KvmExit.Msr)
                .map(e -> (KvmExit.Msr) e.exit()).map(m -> (m.write() ? "w" : "r") + Integer.toHexString(m.index()))
                .toList();
        GuestRun run = traced("msr");
        KernelEvents k = run.store().kernelEvents();
        List<String> kernel = new ArrayList<>();
        for (long i = 0; i < k.size(); i++) {
            if (k.name(i).equals("kvm_msr")) {
                KernelEvent e = k.get(i);
                kernel.add((e.number("write") != 0 ? "w" : "r") + Long.toHexString(e.number("ecx")));
            }
        }
        assertThat(guest).containsExactly("r10", "r10", "w174", "r174", "w175", "r175");
        assertThat(kernel).isEqualTo(guest);
    }

    @Test
    void anotherGuestRunningBesideItIsNotCaptured() throws Exception {
        TracefsTests.requireTracefs();
        try (Machine other = Machine.create(GuestSpec.resolve(KvmTests.sample("ioloop")).maxExits(2_000_000).build())) {
            other.start();   // untraced, busy with port 0x80 for the whole traced run
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (other.store().size() < 1000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(other.store().size()).as("the other guest runs").isGreaterThanOrEqualTo(1000);
            GuestRun run = traced("hello");
            KernelEvents k = run.store().kernelEvents();
            assertThat(k.lost()).as("no buffer space went to the other guest").isZero();
            for (long i = 0; i < k.size(); i++) {
                if (k.name(i).equals("kvm_pio")) {
                    assertThat(k.get(i).number("port")).as("only this guest's ports").isEqualTo(0x3F8);
                }
            }
            assertThat(k.countsByName().get("kvm_userspace_exit")).isEqualTo(run.exits().size());
            other.stop();
        }
    }

    @Test
    void aTinyBufferLosesEventsAndSaysHowMany() {
        TracefsTests.requireTracefs();
        GuestRun run = GuestRun.sample("ioloop", b -> b.maxExits(60_000)
                .kernelEvents(new KernelTracer.Options(false, 4, 0)));
        KernelEvents k = run.store().kernelEvents();
        assertThat(k.capture().on()).as(k.capture().note()).isTrue();
        long userspace = k.countsByName().getOrDefault("kvm_userspace_exit", 0L);
        assertThat(userspace).as("some exits' events were really lost").isLessThan(run.exits().size());
        assertThat(k.lost()).as("and the loss is counted").isPositive();
    }

    @Test
    void theInstanceIsGoneAfterTheRunAndStaleOnesOfDeadProcessesAreRemoved() throws Exception {
        Path root = TracefsTests.requireTracefs();
        Path instances = root.resolve("instances");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path stale = instances.resolve("vmscope-" + p.pid() + "-1");
        Files.createDirectory(stale);   // what a vmscope killed with SIGKILL leaves behind
        assertThat(stale).exists();
        traced("hello");
        assertThat(stale).as("removed at the next start").doesNotExist();
        try (Stream<Path> s = Files.list(instances)) {
            assertThat(s.map(x -> x.getFileName().toString()))
                    .noneMatch(n -> n.startsWith("vmscope-" + ProcessHandle.current().pid() + "-"));
        }
    }
}
