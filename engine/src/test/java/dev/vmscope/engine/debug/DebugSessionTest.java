package dev.vmscope.engine.debug;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The debugger on real guests: every stop is checked against the exit and registers it stopped at. */
class DebugSessionTest {
    // mov dx,0x3f8 ; mov si,msg ; l: lodsb ; test al,al ; jz done ; out dx,al ; jmp l ; done: cli ; hlt ; msg "Hi!\n"
    private static final byte[] HELLO = code("BAF803 BE1010 AC 84C0 7403 EE EBF8 FA F4 4869210A00");
    // mov dx,0x80 ; l: out dx,al ; jmp l
    private static final byte[] OUT_LOOP = code("BA8000 EE EBFD");

    private static byte[] code(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    private static DebugSession launch(byte[] image, UnaryOperator<MachineConfig.Builder> tweak) {
        KvmTests.requireKvm();
        return DebugSession.launch(tweak.apply(MachineConfig.builder("test", image)).build());
    }

    private static SessionState waitStop(DebugSession s) throws InterruptedException {
        SessionState st = s.awaitStop(10, TimeUnit.SECONDS);
        assertThat(st).as("session stopped within 10 s").isNotNull();
        return st;
    }

    @Test
    void startsPausedBeforeTheFirstInstruction() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            SessionState st = s.state();
            assertThat(st.mode()).isEqualTo(SessionState.Mode.PAUSED);
            assertThat(st.seq()).isEqualTo(-1);
            assertThat(s.exits().size()).isZero();
            assertThat(s.currentState(0).rip()).isEqualTo(0x1000);
            assertThat(s.disassemble(0, null, 2)).extracting(Disassembler.Insn::address).first().isEqualTo(0x1000L);
        }
    }

    @Test
    void ioBreakpointStopsAtTheFirstCharacter() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            ExitBreakpoint bp = s.addExitBreakpoint("IO port=0x3f8 out");
            s.resume();
            SessionState st = waitStop(s);
            assertThat(st.mode()).isEqualTo(SessionState.Mode.PAUSED);
            assertThat(st.reason()).isEqualTo(SessionState.StopReason.BREAKPOINT);
            assertThat(st.hit().breakpointId()).isEqualTo(bp.id());
            ExitRecord r = s.exits().get(st.seq());
            assertThat(r.exit()).isInstanceOf(KvmExit.Io.class);
            assertThat(((KvmExit.Io) r.exit()).port()).isEqualTo(0x3F8);
            assertThat(r.state().rax() & 0xFF).isEqualTo('H');
            assertThat(st.seq()).isZero();
            assertThat(s.exits().breakpointHits()).hasSize(1);

            s.resume();   // the breakpoint hits again on the next character
            st = waitStop(s);
            assertThat(s.exits().get(st.seq()).state().rax() & 0xFF).isEqualTo('i');
        }
    }

    @Test
    void sdmNamesAndHitCountsWork() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            s.addExitBreakpoint("IO_INSTRUCTION port=0x3f8 hit=3");
            s.resume();
            SessionState st = waitStop(s);
            assertThat(s.exits().get(st.seq()).state().rax() & 0xFF).isEqualTo('!');
        }
    }

    @Test
    void stepExitAdvancesExactlyOneExit() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            for (int i = 0; i < 3; i++) {
                s.stepExit(0);
                SessionState st = waitStop(s);
                assertThat(st.reason()).isEqualTo(SessionState.StopReason.STEP);
                assertThat(st.seq()).isEqualTo(i);
                assertThat(s.exits().size()).isEqualTo(i + 1);
            }
            assertThat(s.exits().get(2).state().rax() & 0xFF).isEqualTo('!');
        }
    }

    @Test
    void stepInstructionMovesRipByTheInstructionLength() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            long[] expected = {0x1003, 0x1006, 0x1007, 0x1009};  // mov dx (3) ; mov si (3) ; lodsb (1) ; test (2)
            for (long rip : expected) {
                s.stepInstruction(0);
                SessionState st = waitStop(s);
                ExitRecord r = s.exits().get(st.seq());
                assertThat(r.reason()).isEqualTo(KvmExitReason.DEBUG);
                assertThat(((KvmExit.Debug) r.exit()).singleStep()).isTrue();
                assertThat(r.state().rip()).isEqualTo(rip);
            }
            assertThat(s.currentState(0).rsi()).isEqualTo(0x1011);  // lodsb advanced SI
        }
    }

    @Test
    void hardwareExecuteBreakpointStopsBeforeTheInstructionAndResumesPastIt() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            s.addAddressBreakpoint(0x100B, AddressBreakpoint.Kind.EXECUTE, 1);   // the OUT
            s.resume();
            SessionState st = waitStop(s);
            assertThat(st.reason()).isEqualTo(SessionState.StopReason.BREAKPOINT);
            ExitRecord r = s.exits().get(st.seq());
            assertThat(r.reason()).isEqualTo(KvmExitReason.DEBUG);
            assertThat(((KvmExit.Debug) r.exit()).pc()).isEqualTo(0x100B);
            assertThat(r.state().rip()).isEqualTo(0x100B);
            assertThat(r.state().rax() & 0xFF).isEqualTo('H');
            assertThat(s.exits().console()).isEmpty();   // an instruction breakpoint is a fault: OUT not yet run

            s.resume();   // steps over the OUT, then stops at the breakpoint again for the next byte
            st = waitStop(s);
            assertThat(s.exits().get(st.seq()).state().rax() & 0xFF).isEqualTo('i');
            assertThat(s.exits().console()).isEqualTo("H");
            assertThat(s.exits().size()).as("OUT 'H', then the breakpoint: the step-over trap is not recorded")
                    .isEqualTo(3);

            for (var b : s.addressBreakpoints()) {
                s.deleteBreakpoint(b.id());
            }
            s.resume();
            st = waitStop(s);
            assertThat(st.mode()).isEqualTo(SessionState.Mode.FINISHED);
            assertThat(s.exits().console()).isEqualTo("Hi!\n");
        }
    }

    @Test
    void pauseStopsASpinningGuestAndContinueResumesIt() throws Exception {
        try (DebugSession s = launch(code("EBFE"), b -> b)) {
            for (int i = 0; i < 3; i++) {
                s.resume();
                Thread.sleep(50);
                assertThat(s.state().mode()).isEqualTo(SessionState.Mode.RUNNING);
                s.pause();
                SessionState st = waitStop(s);
                assertThat(st.mode()).isEqualTo(SessionState.Mode.PAUSED);
                assertThat(st.reason()).isEqualTo(SessionState.StopReason.PAUSE);
                ExitRecord r = s.exits().get(st.seq());
                assertThat(r.reason()).isEqualTo(KvmExitReason.INTR);
                assertThat(r.state().rip()).isEqualTo(0x1000);
                assertThat(s.exits().size()).isEqualTo(i + 1);
            }
        }
    }

    @Test
    void aBreakpointOnOneVcpuPausesEveryVcpu() throws Exception {
        try (DebugSession s = launch(OUT_LOOP, b -> b.vcpus(2))) {
            s.addExitBreakpoint("IO vcpu=1 hit=100");
            s.resume();
            SessionState st = waitStop(s);
            assertThat(st.vcpu()).isEqualTo(1);
            assertThat(st.reason()).isEqualTo(SessionState.StopReason.BREAKPOINT);
            Thread.sleep(50);
            long size = s.exits().size();
            Thread.sleep(100);
            assertThat(s.exits().size()).as("no vCPU runs after the hit").isEqualTo(size);
            assertThat(s.vcpuStates()).allMatch(VcpuStatus::paused);
        }
    }

    @Test
    void aConditionThatNeverMatchesLetsTheGuestFinish() throws Exception {
        try (DebugSession s = launch(HELLO, b -> b)) {
            s.addExitBreakpoint("IO port=0x2f8");
            s.addExitBreakpoint("MMIO");
            s.resume();
            SessionState st = waitStop(s);
            assertThat(st.mode()).isEqualTo(SessionState.Mode.FINISHED);
            assertThat(st.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
            assertThat(s.exits().console()).isEqualTo("Hi!\n");
        }
    }

    @Test
    void aTripleFaultWhileDebuggingEndsWithAReport() throws Exception {
        try (DebugSession s = launch(code("0F0B"), b -> b.mode(dev.vmscope.engine.config.CpuMode.PROTECTED))) {
            s.resume();
            SessionState st = waitStop(s);
            assertThat(st.mode()).isEqualTo(SessionState.Mode.FINISHED);
            assertThat(st.outcome().kind()).isEqualTo(Outcome.Kind.TRIPLE_FAULT);
            assertThat(st.describe()).contains("triple fault");
        }
    }
}
