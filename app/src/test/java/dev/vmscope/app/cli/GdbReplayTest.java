package dev.vmscope.app.cli;

import dev.vmscope.engine.gdb.GdbArch;
import dev.vmscope.engine.gdb.GdbServer;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real gdb on a recorded trace (no KVM): stepi and reverse-stepi move exit by exit with each exit's
 * registers, continue/reverse-continue stop at breakpoints on recorded RIPs or at the ends of the recording,
 * memory is the kept code pages and an error elsewhere.
 */
class GdbReplayTest {
    @Test
    void reverseStepiReturnsThePreviousExitsRegisters() throws Exception {
        GdbBatch.requireGdb();
        ExitSource trace = TraceReader.open(CliCommandsTest.sample("longmode").resolve("longmode.vmtrace")).source();
        long last = trace.size() - 1;
        long hlt = trace.get(last).state().rip();
        List<Long> moves = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        try (GdbServer g = GdbServer.replay(trace, () -> 0, "0", GdbArch.X86_64, moves::add, log::add)) {
            String out = GdbBatch.run(g.port(), "p/x $rax & 0xff", "stepi", "p/x $rax & 0xff", "stepi",
                    "reverse-stepi", "p/x $rax & 0xff", "x/2i $pc - 1", "x/4xb 0xfff0",
                    "hbreak *0x" + Long.toHexString(hlt), "continue", "p/x $pc", "delete", "reverse-continue",
                    "p/x $rax & 0xff", "monitor exits 1", "set $rax = 1");
            assertThat(out).contains("$1 = 0x48").contains("$2 = 0x65")   // 'H' at exit 0, 'e' at exit 1
                    .contains("$3 = 0x65")                                  // back from 'l' to 'e'
                    .contains("out    %al,(%dx)")                           // code from the kept page
                    .contains("Cannot access memory at address 0xfff0")     // the stack was not recorded
                    .contains("$4 = 0x" + Long.toHexString(hlt))
                    .contains("No more reverse-execution history.")
                    .contains("$5 = 0x48")
                    .contains("#0 vcpu 0 IO out 0x3f8 size 1 = 0x48 'H'");
            assertThat(moves).startsWith(1L, 2L, 1L).contains(last).endsWith(0L);
            assertThat(log).anyMatch(l -> l.contains("a recorded trace cannot be changed"));
        }
    }
}
