package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.TestKernels;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Self-IPIs through the xAPIC ICR on a two-vCPU PC (engine/src/test/kernels/selfipi.asm): 50 of them, half waited
 * for by polling, half by STI; HLT, and none may be lost (a third-party kernel once reported losses here).
 */
class SelfIpiTest {
    @Test
    void everySelfIpiArrivesOnATwoCpuMachine() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("selfipi.bin", TestKernels.image("selfipi")).vcpus(2).build());
        assertThat(r.outcome().kind()).as("console:%n%s", r.console()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.console()).isEqualTo("lost=00\n");
    }
}
