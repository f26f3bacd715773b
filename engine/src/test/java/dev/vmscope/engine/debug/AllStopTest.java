package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * All-stop on the smp sample: when a breakpoint on vCPU 1 is reported, vCPU 0 (spinning on its turn byte, so
 * it only leaves the guest when kicked) is already out of the guest with that exit recorded. Before, the stop
 * was reported as soon as vCPU 0 had been asked to pause: its INTR exit arrived after the report, and the
 * registers the console showed for it were those of an earlier exit.
 */
class AllStopTest {
    @Test
    void everyOtherVcpuIsOutOfTheGuestWhenABreakpointStopIsReported() throws Exception {
        KvmTests.requireKvm();
        try (DebugSession s = DebugSession.launch(GuestSpec.resolve(KvmTests.sample("smp")).build())) {
            s.addExitBreakpoint("IO vcpu=1");
            // vCPU 1 prints three lines of 13 bytes: stop at the first dozen (the race needs a few tries)
            for (int i = 0; i < 12; i++) {
                s.resume();
                SessionState st = s.awaitStop(10, TimeUnit.SECONDS);
                assertThat(st).isNotNull();
                assertThat(st.mode()).isEqualTo(SessionState.Mode.PAUSED);
                assertThat(st.vcpu()).isEqualTo(1);
                long size = s.exits().size();
                long rip0 = s.currentState(0).rip();
                Thread.sleep(30);
                assertThat(s.exits().size()).as("stop %d: no exit may arrive after the all-stop was reported", i)
                        .isEqualTo(size);
                assertThat(s.currentState(0).rip()).as("stop %d: vCPU 0's registers are final", i).isEqualTo(rip0);
                assertThat(s.vcpuStates()).allMatch(VcpuStatus::paused);
            }
            // vCPU 0 was kicked out of its wait loop each time: its latest exit is that INTR
            long last0 = s.vcpuStates().get(0).lastSeq();
            assertThat(s.exits().get(last0).reason()).isEqualTo(KvmExitReason.INTR);
        }
    }
}
