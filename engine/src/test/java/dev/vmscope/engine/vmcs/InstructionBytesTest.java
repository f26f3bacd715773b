package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.PageWalker;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instruction behind each kind of exit, found on real guests whatever RIP says: KVM reports HLT, OUT and an
 * MMIO write with RIP already past the instruction, IN-like reads and MSR accesses with RIP at it. The guests
 * are chosen so that the wrong answer is also a plausible one (an OUT followed by another OUT, a HLT followed by
 * a string), so a finder that trusts RIP fails here.
 */
class InstructionBytesTest {
    // mov dx,0x3f8 ; mov al,'a' ; out dx,al ; out dx,al ; hlt ; db "Hello"
    private static final byte[] TWO_OUTS_THEN_HLT = HexFormat.of().parseHex("BAF803B061EEEEF448656C6C6F");
    private static final long LOAD = 0x1000;

    private record Found(ExitRecord exit, InstructionBytes.Located at) {
        String hex() {
            return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(at.bytes());
        }
    }

    private static List<Found> run(MachineConfig c) throws Exception {
        KvmTests.requireKvm();
        List<Found> out = new ArrayList<>();
        try (Machine m = Machine.create(c)) {
            m.start();
            assertThat(m.awaitOutcome(30, TimeUnit.SECONDS)).as(c.name() + " finished").isNotNull();
            GuestMemory mem = m.memory();
            m.store().scan(0, m.store().size(), r -> out.add(new Found(r, InstructionBytes.find(r,
                    (linear, len) -> mem.read(PageWalker.toPhysical(r.state(), mem, linear), len)))));
        }
        return out;
    }

    @Test
    void eachOutIsItsOwnInstructionAndHltIsF4NotTheStringAfterIt() throws Exception {
        List<Found> f = run(MachineConfig.builder("outs", TWO_OUTS_THEN_HLT).build());
        assertThat(f).extracting(x -> x.exit().reason())
                .containsExactly(KvmExitReason.IO, KvmExitReason.IO, KvmExitReason.HLT);
        assertThat(f.get(0).at().linear()).as("first OUT").isEqualTo(LOAD + 5);
        assertThat(f.get(1).at().linear()).as("second OUT").isEqualTo(LOAD + 6);
        assertThat(f.get(0).at().bytes()[0]).isEqualTo((byte) 0xEE);
        Found hlt = f.get(2);
        assertThat(hlt.at().linear()).isEqualTo(LOAD + 7);
        assertThat(hlt.hex()).isEqualTo("F4");
        assertThat(hlt.at().beforeRip()).as("KVM stepped past the HLT").isTrue();
        assertThat(hlt.exit().state().rip()).isEqualTo(LOAD + 8);
        assertThat(VmcsFieldView.of(hlt.exit(), hlt.at().bytes()).get(VmcsField.VM_EXIT_INSTRUCTION_LEN).value())
                .isEqualTo(1);
    }

    @Test
    void mmioWritesAndReadsFindTheirMov() throws Exception {
        // mmio.asm: mov byte [0xd0000000],0x5a at 0x1027 ... mov dword [0xd0000020],imm at 0x1037, mov ebx,[0xd0000020] at 0x1041
        List<Found> f = run(GuestSpec.resolve(KvmTests.sample("mmio")).build());
        List<Found> mmio = f.stream().filter(x -> x.exit().exit() instanceof KvmExit.Mmio).toList();
        assertThat(mmio).hasSizeGreaterThanOrEqualTo(4);
        assertThat(mmio.get(0).at().linear()).isEqualTo(0x1027);
        assertThat(mmio.get(0).hex()).startsWith("C6 05 00 00 00 D0 5A");
        assertThat(mmio.get(2).at().linear()).isEqualTo(0x1037);
        assertThat(mmio.get(2).hex()).startsWith("C7 05 20 00 00 D0 78 56 34 12");
        Found read = mmio.get(3);
        assertThat(((KvmExit.Mmio) read.exit().exit()).write()).isFalse();
        assertThat(read.at().linear()).isEqualTo(0x1041);
        assertThat(read.hex()).startsWith("8B 1D 20 00 00 D0");
    }

    @Test
    void msrExitsFindRdmsrAndWrmsr() throws Exception {
        List<Found> f = run(GuestSpec.resolve(KvmTests.sample("msr")).trapMsrs(true).build());
        List<Found> msr = f.stream().filter(x -> x.exit().exit() instanceof KvmExit.Msr).toList();
        assertThat(msr).isNotEmpty();
        for (Found x : msr) {
            boolean write = ((KvmExit.Msr) x.exit().exit()).write();
            assertThat(x.hex()).as("exit #%d", x.exit().seq()).startsWith(write ? "0F 30" : "0F 32");
        }
        assertThat(msr.get(0).at().linear()).as("the first rdmsr").isEqualTo(0x1008);
    }
}
