package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, defect 6: a vCPU that goes quiet (spins in the guest without exits) must not keep its last exits
 * in an unsealed chunk, and a reader must count exits other records prove although their chunk is missing.
 */
class QuietVcpuTest {
    /** {@code samples/spin} writes "spinning\n" with one OUT per byte, then loops in the guest for ever. */
    private static final int SPIN_EXITS = "spinning\n".length();

    @TempDir
    Path dir;

    @Test
    void aSpinningVcpusExitsSurviveKillNine() throws Exception {
        KvmTests.requireKvm();
        Path file = dir.resolve("spin.vmtrace");
        Process p = RecordingChild.start(file, KvmTests.sample("spin"));
        long waitedMs;
        try {
            long t0 = System.nanoTime();
            long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
            // the evidence: the chunk record is in the file (polled; the vCPU is quiet after ~10 µs of guest time)
            while (recovered(file) < SPIN_EXITS) {
                assertThat(System.nanoTime()).as("the spinning vCPU's exits reached the file within 60 s")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            RecordingChild.kill(p);
        } finally {
            p.destroyForcibly();
        }
        LoadedTrace t = TraceReader.open(file);
        ExitStore s = t.source();
        System.out.printf("spin under SIGKILL: %d exits recovered (the file had them %d ms after start); %s%n",
                s.size(), waitedMs, t.report().summary());
        assertThat(t.report().ended()).isFalse();
        assertThat(t.report().exits()).isEqualTo(SPIN_EXITS);
        assertThat(t.report().lostExits()).as(t.report().toText()).isZero();
        ExitRecord last = s.get(SPIN_EXITS - 1);
        assertThat(last.reason()).isEqualTo(KvmExitReason.IO);
        assertThat(s.console()).isEqualTo("spinning\n");
        assertThat(last.seq()).isEqualTo(SPIN_EXITS - 1);
    }

    /** Exits a (possibly still growing) file holds; 0 while it is unreadable. */
    private static long recovered(Path file) {
        try {
            return Files.size(file) == 0 ? 0 : TraceReader.open(file).report().exits();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    @Test
    void theReaderCountsExitsThatOtherRecordsProve() throws Exception {
        Path full = dir.resolve("spin.vmtrace");
        KvmTests.requireKvm();
        try (Machine m = Machine.create(GuestSpec.resolve(KvmTests.sample("spin")).build())) {
            TraceWriter w = TraceWriter.record(m.store(), full);
            m.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (m.store().size() < SPIN_EXITS || !m.store().console().endsWith("\n")) {
                assertThat(System.nanoTime()).as("spin's exits within 30 s").isLessThan(deadline);
                Thread.sleep(10);
            }
            m.stop();
            m.awaitOutcome(30, TimeUnit.SECONDS);
            w.close();
        }
        // what a kill leaves when the chunk was never written: the console and code page records, no chunk, no end
        byte[] b = Files.readAllBytes(full);
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        cut.write(b, 0, 16);
        for (TraceFiles.Frame f : TraceFiles.frames(b)) {
            if (f.type() != TraceFormat.EXITS && f.type() != TraceFormat.END && f.type() != TraceFormat.OUTCOME) {
                cut.write(b, (int) f.offset(), (int) (f.end() - f.offset()));
            }
        }
        LoadReport r = TraceReader.read(cut.toByteArray(), TraceReader.Progress.NONE).report();
        assertThat(r.exits()).isZero();
        assertThat(r.lostExits()).as(r.toText()).isEqualTo(SPIN_EXITS - 1);   // the console saw 8 exits stored
        assertThat(r.summary()).contains("8 exits missing (seq 0-7)");
    }
}
