package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Every sample, run on real KVM, checked against what its README says it does. */
class SamplesTest {
    private static List<KvmExitReason> reasons(GuestRun r) {
        return r.exits().stream().map(ExitRecord::reason).toList();
    }

    private static List<KvmExit.Io> ios(GuestRun r) {
        return r.exits().stream().filter(e -> e.exit() instanceof KvmExit.Io).map(e -> (KvmExit.Io) e.exit()).toList();
    }

    /** The bytes the guest sent to port 0x3F8, from the exits themselves (not from the console). */
    private static String bytesOnCom1(List<ExitRecord> exits) {
        return exits.stream().filter(e -> e.exit() instanceof KvmExit.Io io && io.out() && io.port() == 0x3F8)
                .map(e -> String.valueOf((char) ((KvmExit.Io) e.exit()).value())).collect(Collectors.joining());
    }

    @Test
    void hello() {
        GuestRun r = GuestRun.sample("hello");
        String text = "Hello from real mode!\n";
        assertThat(r.console()).isEqualTo(text);
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
        assertThat(r.exits()).hasSize(text.length() + 1);
        for (int i = 0; i < text.length(); i++) {
            ExitRecord e = r.exits().get(i);
            KvmExit.Io io = (KvmExit.Io) e.exit();
            assertThat(io.out()).isTrue();
            assertThat(io.port()).isEqualTo(0x3F8);
            assertThat(io.size()).isEqualTo(1);
            assertThat(io.value()).isEqualTo(text.charAt(i));
            assertThat(e.state().rax() & 0xFF).as("AL holds the byte").isEqualTo(text.charAt(i));
        }
        assertThat(r.last().reason()).isEqualTo(KvmExitReason.HLT);
    }

    @Test
    void protectedMode() {
        GuestRun r = GuestRun.sample("protected");
        assertThat(r.console()).isEqualTo("Hello from protected mode!\n");
        var s = r.last().state();
        assertThat(r.last().reason()).isEqualTo(KvmExitReason.HLT);
        assertThat(s.cr0() & 1).as("CR0.PE").isEqualTo(1);
        assertThat(s.segment(Segment.CS).selector()).isEqualTo(0x08);
        assertThat(s.segment(Segment.CS).vmxAccessRights()).isEqualTo(0xC09B);
        assertThat(s.codeBits()).isEqualTo(32);
    }

    @Test
    void paging32() {
        GuestRun r = GuestRun.sample("paging32");
        if (r.outcome().kind() == Outcome.Kind.TRIPLE_FAULT) {
            // PVM hosts support paging only with long mode: setting CR0.PG in 32-bit mode raises #GP and,
            // with no IDT, the guest triple-faults with PE set and PG still clear (see the sample's README)
            assertThat(reasons(r)).containsExactly(KvmExitReason.SHUTDOWN);
            assertThat(r.last().state().cr0() & 0x80000001L).isEqualTo(1);
            assertThat(r.last().state().cr4() & 0x10).as("CR4.PSE was set before").isEqualTo(0x10);
            return;
        }
        assertThat(r.console()).isEqualTo("Hello from paged protected mode (read via 0x0040xxxx)!\n");
        assertThat(r.last().state().cr0() & 0x80000001L).isEqualTo(0x80000001L);
        assertThat(r.last().state().cr3()).isEqualTo(0x8000);
    }

    @Test
    void longMode() {
        GuestRun r = GuestRun.sample("longmode");
        assertThat(r.console()).isEqualTo("Hello from long mode!\n");
        var s = r.last().state();
        assertThat(r.last().reason()).isEqualTo(KvmExitReason.HLT);
        assertThat(s.cr0() & (1L << 31)).as("CR0.PG").isNotZero();
        assertThat(s.cr4() & (1 << 5)).as("CR4.PAE").isNotZero();
        assertThat(s.efer() & 0x500).as("EFER.LME|LMA").isEqualTo(0x500);
        assertThat(s.segment(Segment.CS).l()).as("CS.L").isTrue();
        assertThat(s.codeBits()).isEqualTo(64);
    }

    @Test
    void smpVcpusPrintInTurnEachOnItsOwnThread() {
        GuestRun r = GuestRun.sample("smp");
        assertThat(r.console()).isEqualTo("cpu0: ping 1\ncpu1: pong 1\ncpu0: ping 2\ncpu1: pong 2\ncpu0: ping 3\n"
                + "cpu1: pong 3\n");
        for (int v = 0; v < 2; v++) {
            int cpu = v;
            List<ExitRecord> mine = r.exits().stream().filter(e -> e.vcpu() == cpu).toList();
            assertThat(mine).isNotEmpty();
            assertThat(mine.get(mine.size() - 1).reason()).isEqualTo(KvmExitReason.HLT);
            assertThat(bytesOnCom1(mine)).as("vCPU %d's own lines", cpu).contains("cpu" + cpu + ": ")
                    .doesNotContain("cpu" + (1 - cpu) + ": ");
        }
        assertThat(r.store().machine().vcpus()).isEqualTo(2);
    }

    @Test
    void mmio() {
        GuestRun r = GuestRun.sample("mmio");
        List<KvmExit.Mmio> m = r.exits().stream().filter(e -> e.exit() instanceof KvmExit.Mmio)
                .map(e -> (KvmExit.Mmio) e.exit()).toList();
        assertThat(m).hasSize(4);
        assertThat(m.subList(0, 3)).allMatch(KvmExit.Mmio::write);
        assertThat(m).allMatch(x -> x.address() >= 0xD0000000L && x.address() < 0xD0001000L);
        assertThat(m.get(0).length()).isEqualTo(1);
        assertThat(m.get(0).data() & 0xFF).isEqualTo(0x5A);
        assertThat(m.get(1).length()).isEqualTo(2);
        assertThat(m.get(1).data() & 0xFFFF).isEqualTo(0xBEEF);
        assertThat(m.get(2).length()).isEqualTo(4);
        assertThat(m.get(2).data() & 0xFFFFFFFFL).isEqualTo(0x12345678L);
        assertThat(m.get(3).write()).isFalse();
        assertThat(m.get(3).address()).isEqualTo(0xD0000020L);
        assertThat(r.console()).contains("mmio read 0xD0000020 = 0xFFFFFFFF");
    }

    @Test
    void msrPrintsTheSameWithAndWithoutTrapMode() {
        GuestRun plain = GuestRun.sample("msr");
        GuestRun trapped = GuestRun.sample("msr", b -> b.trapMsrs(true));
        assertThat(plain.console()).isEqualTo("tsc ok\nsysenter_cs=0x00000008\nsysenter_esp=0x12345678\n");
        assertThat(trapped.console()).isEqualTo(plain.console());
        assertThat(reasons(plain)).doesNotContain(KvmExitReason.X86_RDMSR, KvmExitReason.X86_WRMSR);
        List<KvmExit.Msr> msrs = trapped.exits().stream().filter(e -> e.exit() instanceof KvmExit.Msr)
                .map(e -> (KvmExit.Msr) e.exit()).toList();
        assertThat(msrs).extracting(KvmExit.Msr::index).contains(0x10, 0x174, 0x175);
        assertThat(msrs).filteredOn(x -> x.write() && x.index() == 0x174).extracting(KvmExit.Msr::data)
                .containsExactly(8L);
        assertThat(msrs).filteredOn(x -> !x.write() && x.index() == 0x175).extracting(KvmExit.Msr::data)
                .containsExactly(0x12345678L);
        assertThat(msrs).allMatch(x -> x.error() == 0);
    }

    @Test
    void stringIo() {
        GuestRun r = GuestRun.sample("stringio");
        String text = "Hello from rep outsb: one instruction, one string!\n";
        assertThat(r.console()).isEqualTo(text);
        assertThat(bytesOnCom1(r.exits())).isEqualTo(text);
        // KVM hands a rep outsb to user space one element per exit, every one at the same instruction
        long rip = r.exits().get(0).state().rip();
        assertThat(r.exits().subList(0, text.length())).allMatch(e -> e.state().rip() == rip);
        assertThat(r.exits().get(0).state().rcx()).isGreaterThan(r.exits().get(1).state().rcx());
    }

    @Test
    void tripleFault() {
        GuestRun r = GuestRun.sample("triplefault");
        assertThat(r.console()).isEqualTo("Empty IDT, then UD2: expect a triple fault\n");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.TRIPLE_FAULT);
        assertThat(r.outcome().exitCode()).isEqualTo(1);
        ExitRecord last = r.last();
        assertThat(last.reason()).isEqualTo(KvmExitReason.SHUTDOWN);
        assertThat(last.state().cr0() & 1).as("faulted in protected mode").isEqualTo(1);
        assertThat(last.state().idtLimit()).as("the empty IDT").isZero();
    }

    @Test
    void ioloopRunsItsPatchedCount() throws Exception {
        MachineConfig c = GuestSpec.resolve(dev.vmscope.engine.testing.KvmTests.sample("ioloop")).build();
        dev.vmscope.engine.testing.KvmTests.requireKvm();
        try (Machine m = Machine.create(c)) {
            m.memory().writeInt(c.load() + 4, 5000);
            m.start();
            assertThat(m.awaitOutcome(30, java.util.concurrent.TimeUnit.SECONDS).kind()).isEqualTo(Outcome.Kind.HALTED);
            assertThat(m.store().size()).isEqualTo(5001);
        }
        assertThat(ios(GuestRun.sample("ioloop", b -> b.maxExits(100)))).hasSize(100)
                .allMatch(io -> io.out() && io.port() != 0x3F8);
    }
}
