package dev.vmscope.engine.kernel;

import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A kernel-event store under a memory bound: the oldest blocks move to the spill file, only about the bound
 * stays on the heap, and every event, the per-vCPU walk and both time searches read back exactly as from an
 * unbounded store (checked against a plain scan of what was appended). A spill file that cannot be made keeps
 * the events in memory and says so once.
 */
class KernelEventsMemoryBoundTest {
    private static final int VCPUS = 3;
    private static final int EVENTS = 300_000;
    private static final long KEEP = KernelEventStore.MIN_LIVE_EVENTS;

    @TempDir
    Path dir;

    /** What was appended, kept plainly for comparison. */
    private record Appended(long[] time, int[] vcpu, int[] type, byte[][] record) {
    }

    @Test
    void spilledBlocksReadBackExactlyAndSearchesAgreeWithAScan() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        KernelEventStore s = new KernelEventStore(sampleFormats(), VCPUS, new KernelCapture(true, ""));
        s.boundMemory(KEEP, dir, notices::add);
        Appended a = fill(s, 7);

        awaitAtMost(s, KEEP / KernelEventStore.BLOCK + 1);
        assertThat(notices).singleElement().asString().contains("more than 65,536 kernel events")
                .contains(dir.toString());
        assertReadsBack(s, a);
    }

    @Test
    void aSpillFileThatCannotBeMadeKeepsEverythingInMemoryAndSaysSoOnce() throws Exception {
        List<String> notices = new CopyOnWriteArrayList<>();
        KernelEventStore s = new KernelEventStore(sampleFormats(), VCPUS, new KernelCapture(true, ""));
        Path missing = dir.resolve("no-such-dir");
        s.boundMemory(KEEP, missing, notices::add);
        Appended a = fill(s, 8);

        long deadline = System.nanoTime() + 30_000_000_000L;
        while (notices.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(notices).singleElement().asString()
                .startsWith("cannot move older kernel events to a temporary file in " + missing)
                .endsWith("they stay in memory from now on");
        assertThat(s.blocksInMemory()).isEqualTo((EVENTS + KernelEventStore.BLOCK - 1) / KernelEventStore.BLOCK);
        assertReadsBack(s, a);
    }

    /** The formats of a bundled trace's kernel events: real kvm formats without needing tracefs. */
    private static EventFormats sampleFormats() throws Exception {
        Path trace = KvmTests.samples().resolve("hello/hello.vmtrace");
        KernelEvents k = TraceReader.open(trace).source().kernelEvents();
        assertThat(k).isInstanceOf(KernelEventStore.class);
        return ((KernelEventStore) k).formats();
    }

    /**
     * Appends {@value #EVENTS} events, publishing in batches as the tracer does: times that often repeat, vCPU 2
     * only in bursts (so many blocks have none of its events), records of 0 to 99 bytes.
     */
    private static Appended fill(KernelEventStore s, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int types = s.formats().all().size();
        Appended a = new Appended(new long[EVENTS], new int[EVENTS], new int[EVENTS], new byte[EVENTS][]);
        long t = 1_000;
        for (int i = 0; i < EVENTS; i++) {
            t += r.nextInt(4) == 0 ? 0 : r.nextInt(1, 50);
            int v = (i / 20_000) % 3 == 2 ? 2 : r.nextInt(2);
            byte[] rec = new byte[r.nextInt(100)];
            r.nextBytes(rec);
            a.time[i] = t;
            a.vcpu[i] = v;
            a.type[i] = r.nextInt(types);
            a.record[i] = rec;
            assertThat(s.append(t, v, a.type[i], rec, 0, rec.length)).isTrue();
            if (i % 1000 == 999) {
                s.publish(t - 1);
            }
        }
        s.publish();
        return a;
    }

    private static void awaitAtMost(KernelEventStore s, long blocks) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (s.blocksInMemory() > blocks && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(s.blocksInMemory()).as("blocks left on the heap").isLessThanOrEqualTo((int) blocks);
    }

    private static void assertReadsBack(KernelEventStore s, Appended a) {
        assertThat(s.size()).isEqualTo(EVENTS);
        List<List<Integer>> byVcpu = new ArrayList<>();
        for (int v = 0; v < VCPUS; v++) {
            byVcpu.add(new ArrayList<>());
        }
        for (int i = 0; i < EVENTS; i++) {
            assertThat(s.timeNs(i)).as("time of %d", i).isEqualTo(a.time[i]);
            assertThat(s.vcpu(i)).as("vCPU of %d", i).isEqualTo(a.vcpu[i]);
            assertThat(s.type(i)).as("type of %d", i).isEqualTo(a.type[i]);
            assertThat(s.record(i)).as("record of %d", i).isEqualTo(a.record[i]);
            byVcpu.get(a.vcpu[i]).add(i);
        }
        for (int v = 0; v < VCPUS; v++) {
            List<Integer> mine = byVcpu.get(v);
            assertThat(s.countOf(v)).isEqualTo((long) mine.size());
            for (int k = 0; k < mine.size(); k++) {
                assertThat(s.indexOf(v, k)).as("vCPU %d event %d", v, k).isEqualTo((long) mine.get(k));
            }
        }
        // every distinct time (and the gaps around them): the answers by one walk in time order
        SplittableRandom r = new SplittableRandom(3);
        int[] seen = new int[VCPUS];
        int i = 0;
        for (long t = a.time[0] - 2; t <= a.time[EVENTS - 1] + 2; t += 1 + r.nextInt(3)) {
            while (i < EVENTS && a.time[i] < t) {
                seen[a.vcpu[i++]]++;
            }
            assertThat(s.firstAtOrAfter(t)).as("first at or after %d", t).isEqualTo((long) i);
            int[] upTo = seen.clone();
            for (int j = i; j < EVENTS && a.time[j] == t; j++) {
                upTo[a.vcpu[j]]++;
            }
            for (int v = 0; v < VCPUS; v++) {
                assertThat(s.firstOfVcpuAfter(v, t)).as("vCPU %d after %d", v, t).isEqualTo((long) upTo[v]);
            }
        }
    }
}
