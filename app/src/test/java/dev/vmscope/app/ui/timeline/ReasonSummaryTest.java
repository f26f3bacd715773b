package dev.vmscope.app.ui.timeline;

import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitStore;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The reason pyramid answers exactly what a walk over the exits would, for any range. */
class ReasonSummaryTest {

    private static long[] brute(ExitColumns c, long from, long to, int lanes) {
        long[] m = new long[lanes];
        for (long s = from; s < to; s++) {
            m[c.vcpu(s)] |= 1L << ReasonPalette.bit(c.reasonCode(s));
        }
        return m;
    }

    @Test
    void everyRangeMatchesAWalkOverTheExits() {
        ExitStore store = SyntheticExits.fill(300_000, 3, 1_000, 5);
        ReasonSummary sum = new ReasonSummary(store.columns(), 3);
        assertThat(sum.extend()).isEqualTo(300_000 / ReasonSummary.BASE * ReasonSummary.BASE);
        Random rnd = new Random(1);
        for (int i = 0; i < 2_000; i++) {
            long a = rnd.nextInt(300_000);
            long b = a + (i % 2 == 0 ? rnd.nextInt(300) : rnd.nextInt(300_000 - (int) a + 1));
            b = Math.min(b, 300_000);
            long[] got = new long[3];
            assertThat(sum.collect(a, b, got)).isTrue();
            assertThat(got).as("range [%d, %d)", a, b).isEqualTo(brute(store.columns(), a, b, 3));
        }
    }

    @Test
    void aRangeNotSummarisedYetIsSampledAndSaysSo() {
        ExitStore store = SyntheticExits.fill(50_000, 1, 1_000, 6);
        ReasonSummary sum = new ReasonSummary(store.columns(), 1);
        long[] got = new long[1];
        assertThat(sum.collect(0, 50_000, got)).isFalse();
        assertThat(got[0]).isNotZero();
        sum.extend();
        long[] exact = new long[1];
        assertThat(sum.collect(0, 50_000, exact)).isTrue();
        assertThat(exact).isEqualTo(brute(store.columns(), 0, 50_000, 1));
        assertThat(exact[0] & got[0]).isEqualTo(got[0]);   // samples never invent a reason
    }

    @Test
    void growingIncrementallyGivesTheSameAnswerAsBuildingAtOnce() {
        ExitStore store = SyntheticExits.fill(100_000, 2, 1_000, 7);
        ExitColumns all = store.columns();
        long[] limit = {0};
        ExitColumns growing = new ExitColumns() {
            public long size() { return limit[0]; }
            public long timeNs(long seq) { return all.timeNs(seq); }
            public int vcpu(long seq) { return all.vcpu(seq); }
            public int reasonCode(long seq) { return all.reasonCode(seq); }
        };
        ReasonSummary inc = new ReasonSummary(growing, 2);
        for (long n = 0; n <= 100_000; n += 7_777) {
            limit[0] = n;
            inc.extend();
        }
        limit[0] = 100_000;
        inc.extend();
        long[] got = new long[2];
        inc.collect(1_234, 98_765, got);
        assertThat(got).isEqualTo(brute(all, 1_234, 98_765, 2));
    }

    @Test
    void snappedColumnBoundariesStayInOrder() {
        Random rnd = new Random(3);
        for (int t = 0; t < 200; t++) {
            int w = 50;
            long[] b = new long[w + 1];
            for (int x = 1; x <= w; x++) {
                b[x] = b[x - 1] + (rnd.nextInt(4) == 0 ? rnd.nextInt(5) : rnd.nextInt(200_000));
            }
            long[] orig = b.clone();
            TimelineRenderer.snapToBlocks(b, w);
            assertThat(b[0]).isEqualTo(orig[0]);
            assertThat(b[w]).isEqualTo(orig[w]);
            for (int x = 1; x <= w; x++) {
                assertThat(b[x]).isGreaterThanOrEqualTo(b[x - 1]);
            }
        }
    }
}
