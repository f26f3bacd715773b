package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, defect 5: a live run keeps about its most recent N exits in memory and moves older ones to a
 * temporary file, from where every read API gives them back with their values; the bound is said once.
 */
class LiveMemoryBoundTest {
    /** mov dx,0x3f8 ; l: out dx,al ; inc al ; jmp l   — floods the UART, AL counting up, one exit per byte */
    static final byte[] UART_FLOOD = HexFormat.of().parseHex("BAF803EEFEC0EBFB");
    private static final long BOUND = MachineConfig.MIN_LIVE_EXITS;
    private static final int EXITS = 1_000_000;

    @Test
    void exitsOlderThanTheBoundReadBackWithTheirValues() throws Exception {
        KvmTests.requireKvm();
        List<String> notices = new ArrayList<>();
        try (Machine m = Machine.create(MachineConfig.builder("flood", UART_FLOOD).liveExits(BOUND)
                .maxExits(EXITS).build())) {
            m.store().addListener(new StoreListener() {
                @Override
                public void onNotice(String line) {
                    synchronized (notices) {
                        notices.add(line);
                    }
                }
            });
            m.start();
            assertThat(m.awaitOutcome(120, TimeUnit.SECONDS)).as("the flood ends at --max-exits").isNotNull()
                    .extracting(Outcome::kind).isEqualTo(Outcome.Kind.EXIT_LIMIT);
            ExitStore s = m.store();
            assertThat(s.size()).isEqualTo(EXITS);
            // the spill thread may still be at its last step: the bound holds once it is done
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long bound = (BOUND + 2 * ColumnStore.segmentExits()) * 50;   // 10 B of columns, ~18 of chunk, slack
            while (s.heapBytes() > bound) {
                assertThat(System.nanoTime()).as("heap held by exits %,d > %,d", s.heapBytes(), bound)
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            synchronized (notices) {
                assertThat(notices).as("said once").hasSize(1);
                assertThat(notices.get(0)).contains("more than 65,536 exits").contains("temporary file");
            }
            int al0 = (int) ((KvmExit.Io) s.get(0).exit()).value();
            for (long seq : new long[] {0, 1, 4095, 4096, 65_535, 65_536, 100_001, 200_000, EXITS - 1}) {
                ExitRecord r = s.get(seq);
                assertThat(r).as("exit %d", seq).isNotNull();
                assertThat(r.seq()).isEqualTo(seq);
                assertThat(r.reason()).isEqualTo(KvmExitReason.IO);
                assertThat(((KvmExit.Io) r.exit()).port()).isEqualTo(0x3F8);
                assertThat(((KvmExit.Io) r.exit()).value()).as("AL at exit %d", seq).isEqualTo((al0 + seq) & 0xFF);
                assertThat(r.state().rax() & 0xFF).isEqualTo((al0 + seq) & 0xFF);
                assertThat(s.columns().reasonCode(seq)).isEqualTo(KvmExitReason.IO.code);
                assertThat(s.columns().vcpu(seq)).isZero();
                assertThat(s.columns().timeNs(seq)).isEqualTo(r.timeNs());
            }
            long[] n = {0};
            long[] prevTime = {-1};
            s.scan(0, s.size(), r -> {
                if (r.seq() != n[0] || ((KvmExit.Io) r.exit()).value() != ((al0 + r.seq()) & 0xFF)
                        || r.timeNs() < prevTime[0]) {
                    throw new AssertionError("exit " + r.seq() + " read back wrong (expected seq " + n[0] + ")");
                }
                prevTime[0] = r.timeNs();
                n[0]++;
            });
            assertThat(n[0]).isEqualTo(EXITS);
            assertThat(s.sealedExits()).isEqualTo(EXITS);
            assertThat(TraceStatistics.of(s).exits()).isEqualTo(EXITS);
        }
    }
}
