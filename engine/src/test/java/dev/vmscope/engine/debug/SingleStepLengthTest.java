package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPU as the judge of instruction lengths: every sample is single-stepped on KVM, and wherever an
 * instruction simply falls through, the new CS:RIP must be the old one plus the length we decoded (in the code
 * size the vCPU was in: real, protected and long mode samples all take part).
 */
class SingleStepLengthTest {
    private static final int STEPS_PER_SAMPLE = 300;
    /** Control transfers and instructions that trap, stop or suppress the single-step trap after them. */
    private static final Set<String> NOT_FALL_THROUGH = Set.of("ret", "retf", "iret", "iretd", "iretq", "int",
            "int1", "int3", "into", "syscall", "sysret", "sysretq", "sysenter", "sysexit", "sysexitq", "hlt", "ud2",
            "jmp", "call", "vmcall", "vmmcall", "(bad)");

    @Test
    void everySampleStepsByTheDecodedLength() throws Exception {
        KvmTests.requireKvm();
        List<Path> samples;
        try (Stream<Path> s = Files.list(KvmTests.samples())) {
            samples = s.filter(GuestSpec::isSampleDir).sorted().toList();
        }
        Map<Integer, Integer> checkedByBits = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Path sample : samples) {
            step(sample, checkedByBits, wrong);
        }
        int checked = checkedByBits.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("[x86 single-step] %d samples on KVM: %d fall-through instructions (by code size %s), "
                + "RIP advanced by the decoded length for %d%s%n", samples.size(), checked, checkedByBits,
                checked - wrong.size(), wrong.isEmpty() ? "" : "\n  " + String.join("\n  ", wrong));
        assertThat(checked).isGreaterThan(200);
        assertThat(wrong).isEmpty();
    }

    /** Steps vCPU 0 of one sample, counting the checked instructions by code size. */
    private static void step(Path sample, Map<Integer, Integer> checked, List<String> wrong)
            throws InterruptedException {
        try (DebugSession s = DebugSession.launch(GuestSpec.resolve(sample).build())) {
            boolean afterTrap = true;   // paused before the first instruction counts as a clean start
            for (int i = 0; i < STEPS_PER_SAMPLE; i++) {
                GuestState before = s.currentState(0);
                long at = DebugSession.codeAddress(before);
                byte[] code = s.readLinear(0, at, 15);
                X86Insn insn = new X86Decoder(before.codeBits()).decode(code, 0, code.length, at);
                if (insn.repeated()) {
                    // a repeated string instruction traps once per iteration: run it to completion instead
                    AddressBreakpoint bp = s.addAddressBreakpoint(at + insn.length(),
                            AddressBreakpoint.Kind.EXECUTE, 1);
                    s.resume();
                    s.awaitStop(10, TimeUnit.SECONDS);
                    s.deleteBreakpoint(bp.id());
                    afterTrap = false;
                    continue;
                }
                s.stepInstruction(0);
                var st = s.awaitStop(10, TimeUnit.SECONDS);
                if (st == null || st.seq() < 0 || st.mode() != SessionState.Mode.PAUSED) {
                    break;
                }
                ExitRecord r = s.exits().get(st.seq());
                boolean trap = r.reason() == KvmExitReason.DEBUG;
                // an exit to user space (I/O, MMIO) in between moves RIP on its own terms: judge only trap to trap
                if (trap && afterTrap && fallsThrough(insn)) {
                    checked.merge(before.codeBits(), 1, Integer::sum);
                    long after = DebugSession.codeAddress(s.currentState(0));
                    if (after != at + insn.length()) {
                        wrong.add(String.format("%s %d-bit at 0x%x: %s decoded as %d bytes, CPU moved to 0x%x",
                                sample.getFileName(), before.codeBits(), at, insn.text(), insn.length(), after));
                    }
                }
                afterTrap = trap;
            }
        }
    }

    private static boolean fallsThrough(X86Insn x) {
        String name = x.mnemonic();
        boolean movSs = x.opcodeMap() == 0 && (x.opcode() == 0x8E && x.reg() == 2 || x.opcode() == 0x17);
        return x.valid() && !x.hasRelativeTarget() && !x.repeated() && !movSs
                && !NOT_FALL_THROUGH.contains(name.substring(name.lastIndexOf(' ') + 1));
    }
}
