package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory encoding gives back exactly what was captured, across chunks and vCPUs. */
class ExitStoreTest {
    private static final int[] REASONS = {KvmExitReason.IO.code, KvmExitReason.MMIO.code, KvmExitReason.HLT.code,
            KvmExitReason.X86_RDMSR.code, KvmExitReason.DEBUG.code, KvmExitReason.INTERNAL_ERROR.code,
            KvmExitReason.SHUTDOWN.code, 77};

    static MachineInfo info(int vcpus) {
        return new MachineInfo("test", "00", vcpus, 1 << 21, "real", "fast", "linux", "cpu", 0);
    }

    /** A plausible exit: mostly small changes against the previous one, sometimes wild values. */
    static void randomExit(Random rnd, CapturedExit e, long time) {
        e.rawReason = REASONS[rnd.nextInt(REASONS.length)];
        e.timeNs = time;
        e.guestNs = rnd.nextInt(100_000);
        for (int i = 0; i < e.payload.length; i++) {
            e.payload[i] = rnd.nextInt(4) == 0 ? rnd.nextLong() : rnd.nextInt(1000);
        }
        e.ioLength = 0;
        if (e.rawReason == KvmExitReason.IO.code) {
            int size = 1 << rnd.nextInt(3);
            int count = rnd.nextInt(5) == 0 ? 1 + rnd.nextInt(300) : 1;
            e.payload[0] = rnd.nextInt(2) | ((long) size << 8) | ((long) rnd.nextInt(65536) << 16) | ((long) count << 32);
            e.ioLength = Math.min(size * count, CapturedExit.MAX_IO_DATA);
            for (int i = 0; i < e.ioLength; i++) {
                e.ioData[i] = (byte) rnd.nextInt();
            }
        }
        if (e.rawReason == KvmExitReason.INTERNAL_ERROR.code) {
            e.payload[0] = 1 | ((long) rnd.nextInt(17) << 32);
        }
        for (int i = 0; i < StateLayout.WORDS; i++) {
            int k = rnd.nextInt(20);
            if (k == 0) {
                e.state[i] = rnd.nextLong();
            } else if (k == 1) {
                e.state[i] += rnd.nextInt(16) - 8;
            }
        }
    }

    @Test
    void everyExitDecodesToWhatWasCaptured() {
        Random rnd = new Random(42);
        ExitStore store = new ExitStore(info(3));
        List<ExitRecord> expected = new ArrayList<>();
        CapturedExit[] perVcpu = {new CapturedExit(), new CapturedExit(), new CapturedExit()};
        long time = 0;
        for (int i = 0; i < 20_000; i++) {
            int v = rnd.nextInt(3);
            CapturedExit e = perVcpu[v];
            e.vcpu = v;
            time += rnd.nextInt(10_000);
            randomExit(rnd, e, time);
            store.append(e);
            expected.add(e.toRecord());
        }
        assertThat(store.size()).isEqualTo(expected.size());
        // random access, both in the open chunks and in sealed ones
        for (int i = 0; i < 2_000; i++) {
            int seq = rnd.nextInt(expected.size());
            assertThat(store.get(seq)).isEqualTo(expected.get(seq));
        }
        // sequential stepping (the cursor path)
        for (int seq = 5_000; seq < 5_500; seq++) {
            assertThat(store.get(seq)).isEqualTo(expected.get(seq));
        }
        List<ExitRecord> scanned = new ArrayList<>();
        store.scan(0, store.size(), scanned::add);
        assertThat(scanned).isEqualTo(expected);
        for (int v = 0; v < 3; v++) {
            store.flush(v);
        }
        assertThat(store.get(19_999)).isEqualTo(expected.get(19_999));
        assertThat(store.chunks(0)).isNotEmpty();
        List<ExitRecord> part = new ArrayList<>();
        store.scan(100, 200, part::add);
        assertThat(part).isEqualTo(expected.subList(100, 200));
    }

    @Test
    void columnsMatchTheRecords() {
        Random rnd = new Random(7);
        ExitStore store = new ExitStore(info(1));
        CapturedExit e = new CapturedExit();
        for (int i = 0; i < 70_000; i++) {   // more than one column segment
            randomExit(rnd, e, i * 10L);
            store.append(e);
        }
        ExitColumns c = store.columns();
        assertThat(c.size()).isEqualTo(70_000);
        assertThat(c.timeNs(65_537)).isEqualTo(655_370);
        assertThat(c.reasonCode(69_999)).isEqualTo(Math.min(e.rawReason, 255));
        assertThat(c.firstAtOrAfter(655_365)).isEqualTo(65_537);
    }

    @Test
    void unchangedStateCostsAlmostNothing() {
        ExitStore store = new ExitStore(info(1));
        CapturedExit e = new CapturedExit();
        e.rawReason = KvmExitReason.IO.code;
        e.payload[0] = 1 | (1L << 8) | (0x80L << 16) | (1L << 32);
        e.ioLength = 1;
        for (int i = 0; i < 100_000; i++) {
            e.timeNs = i * 6_000L + (i % 7);
            e.guestNs = 2_000 + (i % 13);
            e.state[StateLayout.RCX] = 100_000 - i;  // the loop counter: the one word that changes
            e.state[StateLayout.RIP] = 0x1010;
            store.append(e);
        }
        store.flush(0);
        double perExit = (double) store.encodedBytes() / store.size();
        assertThat(perExit).as("encoded bytes per exit").isLessThan(14);
    }
}
