package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.SegmentState;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Real guests on /dev/kvm, built from a few instruction bytes so each test shows exactly what runs. */
class MachineTest {
    private static byte[] code(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    // mov dx,0x3f8 ; mov al,'R' ; out dx,al ; hlt   (16-bit encoding)
    private static final byte[] PRINT_R_16 = code("BAF803 B052 EE F4");
    // the same in 32/64-bit code: mov dx needs an operand-size prefix
    private static final byte[] PRINT_P_32 = code("66BAF803 B050 EE F4");

    @Test
    void realModeGuestPrintsAndHalts() {
        GuestRun r = GuestRun.image("print-r", PRINT_R_16, b -> b);
        assertThat(r.console()).isEqualTo("R");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
        assertThat(r.exits()).extracting(ExitRecord::reason).containsExactly(KvmExitReason.IO, KvmExitReason.HLT);
        KvmExit.Io io = (KvmExit.Io) r.exits().get(0).exit();
        assertThat(io.out()).isTrue();
        assertThat(io.port()).isEqualTo(0x3F8);
        assertThat(io.size()).isEqualTo(1);
        assertThat(io.value()).isEqualTo('R');
        // RAX low byte holds the character; RIP is past the 1-byte OUT at 0x1005 on this host
        assertThat(r.exits().get(0).state().rax() & 0xFF).isEqualTo('R');
        assertThat(r.exits().get(0).state().rip()).isEqualTo(0x1006);
        assertThat(r.last().state().cr0() & 1).as("CR0.PE").isZero();
        assertThat(r.last().state().codeBits()).isEqualTo(16);
    }

    @Test
    void loaderStartsProtectedMode() {
        GuestRun r = GuestRun.image("print-p", PRINT_P_32, b -> b.mode(CpuMode.PROTECTED));
        assertThat(r.console()).isEqualTo("P");
        var s = r.last().state();
        assertThat(s.cr0() & 1).as("CR0.PE").isEqualTo(1);
        SegmentState cs = s.segment(Segment.CS);
        assertThat(cs.selector()).isEqualTo(0x08);
        assertThat(cs.vmxAccessRights()).isEqualTo(0xC09B);
        assertThat(s.codeBits()).isEqualTo(32);
    }

    @Test
    void loaderStartsLongMode() {
        GuestRun r = GuestRun.image("print-l", PRINT_P_32, b -> b.mode(CpuMode.LONG));
        assertThat(r.console()).isEqualTo("P");
        var s = r.last().state();
        assertThat(s.efer() & 0x500).as("EFER.LME|LMA").isEqualTo(0x500);
        assertThat(s.cr0() & 0x80000001L).as("CR0.PG|PE").isEqualTo(0x80000001L);
        assertThat(s.cr4() & 0x20).as("CR4.PAE").isEqualTo(0x20);
        assertThat(s.segment(Segment.CS).l()).as("CS.L").isTrue();
        assertThat(s.codeBits()).isEqualTo(64);
    }

    @Test
    void debugExitPortEndsTheRunWithAStatus() {
        // mov al,5 ; out 0xf4,al
        GuestRun r = GuestRun.image("debug-exit", code("B005 E6F4 F4"), b -> b);
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).isEqualTo((5 << 1) | 1);
        assertThat(r.outcome().exitCode()).isEqualTo(11);
    }

    @Test
    void tripleFaultIsReportedWithTheStateAtThatMoment() {
        // ud2 in protected mode with no IDT: #UD -> #GP -> #DF -> shutdown
        GuestRun r = GuestRun.image("ud2", code("0F0B"), b -> b.mode(CpuMode.PROTECTED));
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.TRIPLE_FAULT);
        assertThat(r.outcome().exitCode()).isEqualTo(1);
        assertThat(r.last().reason()).isEqualTo(KvmExitReason.SHUTDOWN);
        assertThat(r.last().state().cr0() & 1).isEqualTo(1);
        assertThat(r.outcome().message()).contains("triple fault");
    }

    @Test
    void unmappedWritesBecomeMmioExits() {
        // mov ax,0x1000 ; mov es,ax ; mov byte [es:0],0xab ; mov al,[es:0] ; hlt   with 64 KiB of RAM
        GuestRun r = GuestRun.image("mmio", code("B80010 8EC0 26C6060000AB 26A00000 F4"), b -> b.memory(64 * 1024));
        assertThat(r.exits()).extracting(ExitRecord::reason)
                .containsExactly(KvmExitReason.MMIO, KvmExitReason.MMIO, KvmExitReason.HLT);
        KvmExit.Mmio w = (KvmExit.Mmio) r.exits().get(0).exit();
        assertThat(w.write()).isTrue();
        assertThat(w.address()).isEqualTo(0x10000);
        assertThat(w.length()).isEqualTo(1);
        assertThat(w.data() & 0xFF).isEqualTo(0xAB);
        KvmExit.Mmio rd = (KvmExit.Mmio) r.exits().get(1).exit();
        assertThat(rd.write()).isFalse();
        assertThat(r.last().state().rax() & 0xFF).as("open bus reads all ones").isEqualTo(0xFF);
    }

    @Test
    void everyVcpuRunsOnItsOwnThreadAndSeesItsApicId() {
        // mov eax,1 ; cpuid ; shr ebx,24 ; mov al,bl ; add al,'0' ; mov dx,0x3f8 ; out dx,al ; hlt
        byte[] image = code("66B801000000 0FA2 66C1EB18 88D8 0430 BAF803 EE F4");
        GuestRun r = GuestRun.image("smp", image, b -> b.vcpus(2));
        assertThat(r.console()).hasSize(2).contains("0").contains("1");
        assertThat(r.exits()).filteredOn(e -> e.vcpu() == 0).extracting(ExitRecord::reason)
                .containsExactly(KvmExitReason.IO, KvmExitReason.HLT);
        assertThat(r.exits()).filteredOn(e -> e.vcpu() == 1).extracting(ExitRecord::reason)
                .containsExactly(KvmExitReason.IO, KvmExitReason.HLT);
        for (ExitRecord e : r.exits()) {
            if (e.exit() instanceof KvmExit.Io io) {
                assertThat(io.value()).isEqualTo('0' + e.vcpu());
            }
        }
    }

    @Test
    void maxExitsStopsTheRunExactlyThere() {
        // mov dx,0x80 ; l: out dx,al ; jmp l
        GuestRun r = GuestRun.image("loop", code("BA8000 EE EBFD"), b -> b.maxExits(1000));
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.EXIT_LIMIT);
        assertThat(r.outcome().exitCode()).isZero();
        assertThat(r.store().size()).isEqualTo(1000);
        assertThat(r.exits()).hasSize(1000).allMatch(e -> e.reason() == KvmExitReason.IO);
    }

    @Test
    void stopReachesAGuestThatNeverExits() throws Exception {
        KvmTests.requireKvm();
        try (Machine m = Machine.create(MachineConfig.builder("spin", code("EBFE")).build())) {
            m.start();
            Thread.sleep(100);
            assertThat(m.isFinished()).isFalse();
            long t0 = System.nanoTime();
            m.stop();
            Outcome o = m.awaitOutcome(5, TimeUnit.SECONDS);
            assertThat(o).isNotNull();
            assertThat(o.kind()).isEqualTo(Outcome.Kind.STOPPED);
            assertThat((System.nanoTime() - t0) / 1e6).as("ms to stop a spinning vCPU").isLessThan(1000);
            ExitRecord last = m.store().get(m.store().size() - 1);
            assertThat(last.reason()).isEqualTo(KvmExitReason.INTR);
            assertThat(last.state().rip()).isEqualTo(0x1000);
        }
    }

    @Test
    void fullSnapshotsAddDebugRegistersMsrsAndMpState() {
        GuestRun r = GuestRun.image("print-full", PRINT_R_16, b -> b.snapshot(SnapshotLevel.FULL));
        var s = r.exits().get(0).state();
        assertThat(s.isFull()).isTrue();
        assertThat(s.dr7()).as("DR7 reset value").isEqualTo(0x400);
        assertThat(s.msr(Msr.TSC)).isPositive();
        assertThat(s.msr(Msr.PAT)).as("PAT reset value").isEqualTo(0x0007040600070406L);
        GuestRun fast = GuestRun.image("print-fast", PRINT_R_16, b -> b);
        assertThat(fast.exits().get(0).state().isFull()).isFalse();
    }
}
