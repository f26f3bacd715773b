package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.engine.trace.TraceWriter;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bytes behind an exit are the same whether read live from guest memory (through the exit's page tables) or
 * from the trace's code pages, and an I/O exit's bytes are its IN/OUT instruction, in each CPU mode.
 */
class GuestCodeTest {
    @ParameterizedTest(name = "{0}: {1}-bit code")
    @CsvSource({"hello, 16", "protected, 32", "longmode, 64"})
    void liveMemoryAndTheRecordingAgree(String sample, int bits, @TempDir Path dir) throws Exception {
        KvmTests.requireKvm();
        Path file = dir.resolve(sample + ".vmtrace");
        MachineConfig c = GuestSpec.resolve(KvmTests.sample(sample)).build();
        List<byte[]> live = new ArrayList<>();
        List<ExitRecord> exits = new ArrayList<>();
        try (Machine m = Machine.create(c)) {
            TraceWriter w = TraceWriter.record(m.store(), file);
            m.start();
            assertThat(m.awaitOutcome(30, TimeUnit.SECONDS)).as("longmode ends").isNotNull();
            w.close();
            GuestCode code = GuestCode.live(m.memory());
            m.store().scan(0, m.store().size(), r -> {
                exits.add(r);
                live.add(code.instructionBytes(r));
            });
        }
        LoadedTrace t = TraceReader.open(file);
        GuestCode recorded = GuestCode.recorded(t.source());
        assertThat(exits).extracting(r -> r.state().codeBits()).contains(bits);
        int io = 0;
        for (int i = 0; i < exits.size(); i++) {
            ExitRecord r = exits.get(i);
            assertThat(live.get(i)).as("exit %d live", i).isNotNull();
            assertThat(recorded.instructionBytes(t.source().get(i))).as("exit %d recorded", i)
                    .isEqualTo(live.get(i));
            if (r.exit() instanceof KvmExit.Io) {
                X86Insn insn = X86Decoder.first(live.get(i), r.state().codeBits());
                assertThat(insn.mnemonic()).as("exit %d is an I/O exit", i).matches("(?i)(rep )?(in|out)s?[bwd]?");
                io++;
            }
        }
        assertThat(io).isPositive();
    }
}
