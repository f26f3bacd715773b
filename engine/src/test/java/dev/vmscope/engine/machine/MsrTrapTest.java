package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.testing.GuestRun;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** MSR trap mode: every RDMSR/WRMSR becomes a captured exit, and the guest cannot tell the difference. */
class MsrTrapTest {
    // mov ecx,0x174 ; mov eax,8 ; xor edx,edx ; wrmsr ; xor eax,eax ; rdmsr ; add al,'0' ; mov dx,0x3f8 ;
    // out dx,al ; mov ecx,0x10 ; rdmsr ; hlt
    private static final byte[] IMAGE = HexFormat.of().parseHex((
            "66B974010000 66B808000000 6631D2 0F30 6631C0 0F32 0430 BAF803 EE 66B910000000 0F32 F4").replace(" ", ""));

    @Test
    void trappedMsrsAreCapturedAndServedWithRealValues() {
        GuestRun plain = GuestRun.image("msr", IMAGE, b -> b);
        GuestRun trapped = GuestRun.image("msr", IMAGE, b -> b.trapMsrs(true));

        assertThat(plain.console()).isEqualTo("8");
        assertThat(trapped.console()).isEqualTo(plain.console());
        assertThat(plain.exits()).extracting(ExitRecord::reason).containsExactly(KvmExitReason.IO, KvmExitReason.HLT);
        assertThat(trapped.exits()).extracting(ExitRecord::reason).containsExactly(KvmExitReason.X86_WRMSR,
                KvmExitReason.X86_RDMSR, KvmExitReason.IO, KvmExitReason.X86_RDMSR, KvmExitReason.HLT);

        KvmExit.Msr wr = (KvmExit.Msr) trapped.exits().get(0).exit();
        assertThat(wr.write()).isTrue();
        assertThat(wr.index()).isEqualTo(0x174);
        assertThat(wr.data()).isEqualTo(8);
        assertThat(wr.error()).isZero();
        KvmExit.Msr rd = (KvmExit.Msr) trapped.exits().get(1).exit();
        assertThat(rd.write()).isFalse();
        assertThat(rd.index()).isEqualTo(0x174);
        assertThat(rd.data()).as("the value the guest got back").isEqualTo(8);
        KvmExit.Msr tsc = (KvmExit.Msr) trapped.exits().get(3).exit();
        assertThat(tsc.index()).isEqualTo(0x10);
        assertThat(tsc.data()).isPositive();
        // the guest's EDX:EAX after the TSC read carries what vmscope served
        long served = tsc.data();
        var atHlt = trapped.last().state();
        assertThat((atHlt.rdx() << 32) | (atHlt.rax() & 0xFFFFFFFFL)).isEqualTo(served);
    }
}
