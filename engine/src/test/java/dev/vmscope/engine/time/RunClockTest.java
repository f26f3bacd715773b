package dev.vmscope.engine.time;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.ExitColumns;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run's clock on a real guest: time the debugger holds it (before its first instruction, at a breakpoint)
 * does not show in exit times, and each pause after the start is remembered where it was.
 */
class RunClockTest {
    // mov dx,0x3f8 ; mov si,msg ; l: lodsb ; test al,al ; jz done ; out dx,al ; jmp l ; done: cli ; hlt ; msg "Hi!\n"
    private static final byte[] HELLO = HexFormat.of().parseHex("BAF803BE1010AC84C07403EEEBF8FAF44869210A00");
    private static final long HELD_NS = TimeUnit.SECONDS.toNanos(2);

    @Test
    void pausesAreCutOutOfExitTimesAndRemembered() throws Exception {
        KvmTests.requireKvm();
        try (DebugSession s = DebugSession.launch(MachineConfig.builder("test", HELLO).build())) {
            s.addExitBreakpoint("IO port=0x3f8 out");
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(HELD_NS));   // the lecturer talks before the first instruction
            s.resume();
            stop(s);
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(HELD_NS));   // ... and again at the breakpoint
            s.resume();
            stop(s);

            ExitColumns c = s.exits().columns();
            assertThat(c.size()).isEqualTo(2);
            // what the guest ran is microseconds; a second of slack for a loaded machine, far under the 2 s held
            assertThat(c.timeNs(0)).as("first exit counts from the first instruction").isLessThan(HELD_NS / 2);
            assertThat(c.timeNs(1) - c.timeNs(0)).as("the pause is not between the exits").isLessThan(HELD_NS / 2);

            List<Pause> pauses = s.exits().pauses();
            assertThat(pauses).as("the hold at the breakpoint, not the one before the start").hasSize(1);
            Pause p = pauses.get(0);
            assertThat(p.lengthNs()).isGreaterThanOrEqualTo(HELD_NS);
            assertThat(p.atNs()).isBetween(c.timeNs(0), c.timeNs(1));
        }
    }

    private static void stop(DebugSession s) throws InterruptedException {
        SessionState st = s.awaitStop(10, TimeUnit.SECONDS);
        assertThat(st).as("stopped within 10 s").isNotNull();
        assertThat(st.mode()).isEqualTo(SessionState.Mode.PAUSED);
    }
}
