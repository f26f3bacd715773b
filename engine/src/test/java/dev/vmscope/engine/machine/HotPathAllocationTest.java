package dev.vmscope.engine.machine;

import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.TraceWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exit path allocates nothing per exit: over 200,000 ioloop exits the vCPU thread allocates only the
 * store's own storage — each chunk's buffer and its sealed copy (two to three times the encoded bytes) and the
 * columns (10 bytes per exit). One ExitRecord or GuestState per exit would add hundreds of bytes, which the
 * bound catches. Recording (which also keeps code pages) must not change that.
 */
class HotPathAllocationTest {
    private static final long FROM = 50_000;
    private static final long TO = 250_000;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    void capturingAnExitAllocatesOnlyTheStoresStorage() throws Exception {
        Measured m = measure(null);
        System.out.printf("vCPU thread: %.1f bytes allocated per exit, %.1f encoded%n", m.allocated, m.encoded);
        assertThat(m.allocated).isLessThan(3 * m.encoded + 12);
    }

    @Test
    void recordingAllocatesNoMorePerExit() throws Exception {
        Measured m = measure(dir.resolve("ioloop.vmtrace"));
        System.out.printf("vCPU thread while recording: %.1f bytes allocated per exit, %.1f encoded%n",
                m.allocated, m.encoded);
        assertThat(m.allocated).isLessThan(3 * m.encoded + 12);
    }

    private record Measured(double allocated, double encoded) {
    }

    /** Runs ioloop for TO + 10 exits; the vCPU thread's allocation between exits FROM and TO, per exit. */
    private static Measured measure(Path trace) throws Exception {
        KvmTests.requireKvm();
        MachineConfig c = GuestSpec.resolve(KvmTests.sample("ioloop")).build();
        long[] allocated = new long[2];
        try (Machine m = Machine.create(c)) {
            m.memory().writeInt(c.load() + 4, (int) (TO + 10));   // the loop count, as the capture benchmark does
            m.addHook(e -> {
                if (e.seq == FROM) {
                    allocated[0] = THREADS.getCurrentThreadAllocatedBytes();
                } else if (e.seq == TO) {
                    allocated[1] = THREADS.getCurrentThreadAllocatedBytes();
                }
                return false;
            });
            TraceWriter w = trace == null ? null : TraceWriter.record(m.store(), trace);
            m.start();
            Outcome o = m.awaitOutcome(60, TimeUnit.SECONDS);
            if (w != null) {
                w.close();
            }
            assertThat(o).isNotNull();
            assertThat(o.kind()).isEqualTo(Outcome.Kind.HALTED);
            assertThat(allocated[1]).isGreaterThan(allocated[0]).isPositive();
            return new Measured((double) (allocated[1] - allocated[0]) / (TO - FROM),
                    (double) m.store().encodedBytes() / m.store().size());
        }
    }
}
