package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guests that KVM cannot run on: the failure is an exit like any other, recorded with KVM's data, and the run
 * ends with an outcome that says where — never a crash or a hang.
 */
class GuestFailureTest {
    @Test
    void executingFromAnAddressWithoutMemoryIsAKvmInternalErrorWithItsData() {
        // real mode, 64 KiB of RAM: jmp 0x2000:0000 fetches from linear 0x20000, where no memory is. KVM tries to
        // emulate the fetch as MMIO and gives up: KVM_EXIT_INTERNAL_ERROR, suberror 1 (emulation)
        byte[] image = HexFormat.of().parseHex("EA00000020");
        GuestRun r = GuestRun.run(MachineConfig.builder("jmp-nowhere", image).memory(64 * 1024).build());
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.INTERNAL_ERROR);
        assertThat(r.exits()).hasSize(1);
        ExitRecord e = r.exits().get(0);
        assertThat(e.reason()).isEqualTo(KvmExitReason.INTERNAL_ERROR);
        KvmExit.InternalError ie = (KvmExit.InternalError) e.exit();
        assertThat(ie.suberror()).isEqualTo(1);
        assertThat(e.state().segment(dev.vmscope.engine.exit.StateLayout.Segment.CS).selector()).isEqualTo(0x2000);
        assertThat(e.state().codeLinearAddress()).isEqualTo(0x20000);
        assertThat(r.outcome().atSeq()).isZero();
        assertThat(r.outcome().message()).isEqualTo("KVM internal error on vCPU 0 at CS:IP 2000:0000 (linear 0x20000): "
                + ie.detail());
    }
}
