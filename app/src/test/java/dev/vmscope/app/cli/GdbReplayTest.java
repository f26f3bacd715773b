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
        // the bundled trace was recorded playing the walkthrough: its two #DB exits come before the first OUT
        long h = 0;
        while (!(trace.get(h).exit() instanceof dev.vmscope.engine.exit.KvmExit.Io)) {
            h++;
        }
        assertThat(h).isEqualTo(2);
        long firstRax = trace.get(0).state().rax() & 0xff;
        List<Long> moves = new CopyOnWriteArrayList<>();
        List<String> log = new CopyOnWriteArrayList<>();
        long start = h;
        try (GdbServer g = GdbServer.replay(trace, () -> start, "0", GdbArch.X86_64, moves::add, log::add)) {
            String out = GdbBatch.run(g.port(), "p/x $rax & 0xff", "stepi", "p/x $rax & 0xff", "stepi",
                    "reverse-stepi", "p/x $rax & 0xff", "x/2i $pc - 1", "x/4xb 0xfff0",
                    "hbreak *0x" + Long.toHexString(hlt), "continue", "p/x $pc", "delete", "reverse-continue",
                    "p/x $rax & 0xff", "monitor exits 1", "set $rax = 1");
            assertThat(out).contains("$1 = 0x48").contains("$2 = 0x65")   // 'H' at exit 2, 'e' at exit 3
                    .contains("$3 = 0x65")                                  // back from 'l' to 'e'
                    .contains("out    %al,(%dx)")                           // code from the kept page
                    .contains("Cannot access memory at address 0xfff0")     // the stack was not recorded
                    .contains("$4 = 0x" + Long.toHexString(hlt))
                    .contains("No more reverse-execution history.")
                    .contains("$5 = 0x" + Long.toHexString(firstRax))            // back at the first #DB exit
                    .contains("#0 vcpu 0 DEBUG");
            assertThat(moves).startsWith(h + 1, h + 2, h + 1).contains(last).endsWith(0L);
            assertThat(log).anyMatch(l -> l.contains("a recorded trace cannot be changed"));
        }
    }
}
