package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.SnapshotLevel;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.vmcs.FieldValue;
import dev.vmscope.engine.vmcs.InstructionBytes;
import dev.vmscope.engine.vmcs.VmcsField;
import dev.vmscope.engine.vmcs.VmcsFieldView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** Real guests on /dev/kvm recorded to a file and read back; a recording killed with SIGKILL. */
class TraceRecordingTest {
    @TempDir
    Path dir;

    private static byte[] code(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /** mov ecx,20000 ; l: out 0x80,al ; dec ecx ; jnz l ; hlt   (real mode, 66 prefixes for 32-bit ecx) */
    static byte[] ioloop(int n) {
        byte[] b = code("66B900000000 E680 6649 75FA F4");
        b[2] = (byte) n;
        b[3] = (byte) (n >>> 8);
        b[4] = (byte) (n >>> 16);
        b[5] = (byte) (n >>> 24);
        return b;
    }

    /** Runs a guest to its end while recording it; returns the live store and the file. */
    private record Recorded(ExitStore live, Path file, List<ExitRecord> exits) {
    }

    /** A null image runs the sample of that name as its manifest says. */
    private Recorded record(String name, byte[] image, UnaryOperator<MachineConfig.Builder> tweak) throws Exception {
        Path file = dir.resolve(name + ".vmtrace");
        MachineConfig.Builder b = image != null ? MachineConfig.builder(name, image)
                : GuestSpec.resolve(KvmTests.sample(name));
        ExitStore live = TraceFiles.recordGuest(file, tweak.apply(b).build());
        List<ExitRecord> exits = new ArrayList<>();
        live.scan(0, live.size(), exits::add);
        return new Recorded(live, file, exits);
    }

    private static void assertSameRun(Recorded r) throws Exception {
        LoadedTrace t = TraceReader.open(r.file());
        assertThat(t.report().isClean()).as(t.report().toText()).isTrue();
        ExitStore s = t.source();
        assertThat(s.machine()).isEqualTo(r.live().machine());
        assertThat(s.size()).isEqualTo(r.live().size());
        List<ExitRecord> read = new ArrayList<>();
        s.scan(0, s.size(), read::add);
        assertThat(read.size()).isEqualTo(r.exits().size());
        for (int i = 0; i < read.size(); i++) {   // reason, payload, snapshot, times: all of it
            if (!read.get(i).equals(r.exits().get(i))) {
                assertThat(read.get(i)).as("exit %d", i).isEqualTo(r.exits().get(i));
            }
        }
        for (long seq = 0; seq < s.size(); seq += 97) {
            assertThat(s.get(seq)).isEqualTo(r.exits().get((int) seq));
        }
        assertThat(s.console()).isEqualTo(r.live().console());
        assertThat(s.outcome()).isEqualTo(r.live().outcome());
        assertThat(s.breakpointHits()).isEqualTo(r.live().breakpointHits());
        TraceFileTest.assertSameCodePages(s.codePages(), r.live().codePages());
        for (ExitRecord e : read) {       // every exit's instruction is in the trace
            byte[] insn = InstructionBytes.locate(e, (linear, len) -> s.codePages().readLinear(e.state(), linear, len));
            assertThat(insn).as("exit %d at 0x%x", e.seq(), e.state().codeLinearAddress()).isNotNull();
        }
    }

    @Test
    void ioLoopRoundTrip() throws Exception {
        Recorded r = record("ioloop", ioloop(20_000), b -> b);
        assertThat(r.exits()).hasSize(20_001);
        assertThat(r.exits().get(0).reason()).isEqualTo(KvmExitReason.IO);
        assertSameRun(r);
        // the loop's page, and the page before it (RIP is within an instruction's length of its start);
        // the replay finds the OUT behind each I/O exit
        LoadedTrace t = TraceReader.open(r.file());
        assertThat(t.source().codePages().all()).extracting(CodePage::linearPage).containsExactly(0L, 1L);
        ExitRecord first = t.source().get(0);
        byte[] insn = InstructionBytes.locate(first,
                (linear, len) -> t.source().codePages().readLinear(first.state(), linear, len));
        assertThat(insn).startsWith((byte) 0xE6, (byte) 0x80);
        FieldValue qual = VmcsFieldView.of(first, insn).get(VmcsField.EXIT_QUALIFICATION);
        assertThat(qual.value()).as("port 0x80, OUT, byte, immediate operand").isEqualTo(0x0080_0040L);
        assertThat(qual.fullyKnown()).isTrue();
        System.out.printf("ioloop 20,001 exits: %.1f bytes per exit on disk%n", Files.size(r.file()) / 20_001.0);
    }

    @Test
    void aLongModeGuestKeepsItsCodeUnderItsPageTables() throws Exception {
        Recorded r = record("longmode", null, b -> b);
        LoadedTrace t = TraceReader.open(r.file());
        CodePages pages = t.source().codePages();
        assertThat(pages.all()).extracting(CodePage::space).anyMatch(space -> space != CodePage.NO_PAGING);
        ExitRecord last = r.exits().get(r.exits().size() - 1);
        assertThat(last.state().longMode()).isTrue();
        byte[] code = pages.readLinear(last.state(), last.state().codeLinearAddress() - 1, 1);
        assertThat(code[0]).as("the HLT before RIP").isEqualTo((byte) 0xF4);
        assertSameRun(r);
    }

    @Test
    void twoVcpusWithConsoleRoundTrip() throws Exception {
        // mov eax,1 ; cpuid ; shr ebx,24 ; mov al,bl ; add al,'0' ; mov dx,0x3f8 ; out dx,al ; hlt
        Recorded r = record("smp", code("66B801000000 0FA2 66C1EB18 88D8 0430 BAF803 EE F4"), b -> b.vcpus(2));
        assertThat(r.live().console()).hasSize(2);
        assertSameRun(r);
    }

    @Test
    void mmioAndFullSnapshotsRoundTrip() throws Exception {
        Recorded r = record("mmio", code("B80010 8EC0 26C6060000AB 26A00000 F4"),
                b -> b.memory(64 * 1024).snapshot(SnapshotLevel.FULL));
        assertThat(r.exits()).extracting(ExitRecord::reason)
                .containsExactly(KvmExitReason.MMIO, KvmExitReason.MMIO, KvmExitReason.HLT);
        assertThat(r.exits().get(0).state().isFull()).isTrue();
        assertSameRun(r);
    }

    @Test
    void aRecordingKilledWithSigkillLosesAtMostTheLastSecond() throws Exception {
        KvmTests.requireKvm();
        Path file = dir.resolve("killed.vmtrace");
        Process p = RecordingChild.start(file, null);
        long started = System.nanoTime();
        long killed;
        try {
            Thread.sleep(2_000);
            killed = System.nanoTime();
            RecordingChild.kill(p);
        } finally {
            p.destroyForcibly();
        }
        LoadedTrace t = TraceReader.open(file);
        LoadReport rep = t.report();
        ExitStore s = t.source();
        assertThat(rep.ended()).isFalse();
        assertThat(s.size()).isGreaterThan(1_000);
        double runSeconds = (killed - started) / 1e9;   // the guest ran at least this long when it was killed
        double lastSeconds = s.columns().timeNs(s.size() - 1) / 1e9;
        System.out.printf("SIGKILL after %.2f s of run: %,d exits recovered, the last at %.3f s (%.3f s lost); %s%n",
                runSeconds, s.size(), lastSeconds, runSeconds - lastSeconds, rep.summary());
        assertThat(runSeconds - lastSeconds).as("seconds of exits lost").isLessThan(1.0);
        assertThat(rep.lostExits()).as("no gaps with one vCPU").isZero();
        assertThat(s.get(s.size() - 1).reason()).isEqualTo(KvmExitReason.IO);
    }
}
