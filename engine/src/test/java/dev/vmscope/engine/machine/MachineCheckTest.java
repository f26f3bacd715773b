package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The guest reads MCG_CAP and the last bank's control MSR: QEMU's 10 banks, not KVM's default 32. */
class MachineCheckTest {
    // mov ecx,0x179 ; rdmsr (MCG_CAP) ; mov edi,eax ; mov ecx,0x424 ; rdmsr (MC9_CTL) ; hlt   (real mode)
    private static final byte[] READ_MCG_CAP = HexFormat.of().parseHex("66B9790100000F326689C766B9240400000F32F4");

    @Test
    void theGuestSeesTenBanksWithQemusCapabilityBits() {
        KvmTests.requireKvm();
        MachineConfig c = MachineConfig.builder("mcg-cap", READ_MCG_CAP).build();
        MachineCheck mc;
        try (Machine m = Machine.create(c)) {
            mc = m.machineCheck();
        }
        assertThat(mc).as("this host offers KVM_CAP_MCE").isNotNull();
        assertThat(mc.banks()).isEqualTo(10);
        GuestRun r = GuestRun.run(c);
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
        GuestState s = r.last().state();
        assertThat(s.rdi() & 0xFFFFFFFFL).as("MCG_CAP as the guest read it").isEqualTo(mc.mcgCap() & 0xFFFFFFFFL);
        assertThat(s.rdi() & 0xFF).as("bank count").isEqualTo(10);
        assertThat(s.rdi() & MachineCheck.MCG_CTL_P).as("MCG_CTL_P").isNotZero();
        assertThat(s.rax() & 0xFFFFFFFFL).as("MC9_CTL low: every error reported").isEqualTo(0xFFFFFFFFL);
        assertThat(s.rdx() & 0xFFFFFFFFL).as("MC9_CTL high").isEqualTo(0xFFFFFFFFL);
    }
}
