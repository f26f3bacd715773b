package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoftwareBreakpointsTest {
    @Test
    void theProbeRunsAnInt3AndTheSessionExplainsTheResult() {
        KvmTests.requireKvm();
        KvmExitReason r = SoftwareBreakpoints.probe("/dev/kvm");
        assertThat(r).isIn(KvmExitReason.DEBUG, KvmExitReason.INTERNAL_ERROR, KvmExitReason.HLT);
        try (DebugSession s = DebugSession.launch(MachineConfig.builder("t", new byte[]{(byte) 0xF4}).build())) {
            assertThatThrownBy(() -> s.addSoftwareBreakpoint(0x1000)).isInstanceOf(GuestConfigException.class)
                    .hasMessageContaining("software (int3) breakpoints")
                    .hasMessageContaining(r == KvmExitReason.DEBUG ? "not implemented" : "KVM_EXIT_" + r.name());
        }
    }
}
