package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The reason/vCPU index and its sets against a plain pass over the columns. */
class ColumnIndexTest {

    @Test
    void selectionsListExactlyTheExitsAPassOverTheColumnsFinds() {
        ExitStore store = SyntheticExits.fill(200_003, 3, 1_000, 21);
        ExitColumns c = store.columns();
        ColumnIndex ix = new ColumnIndex(c);
        ix.extendTo(70_001);                 // indexed in two goes, as a growing live run is
        boolean[] present = ix.reasonsPresent();
        int some = -1;
        for (int code = 0; code < 256; code++) {
            if (present[code]) {
                some = code;
            }
        }
        assertThat(some).as("a reason in the first exits").isNotNegative();
        boolean[] reasons = new boolean[256];
        reasons[some] = true;
        for (int vcpu = -1; vcpu < 3; vcpu++) {
            for (boolean[] rs : new boolean[][]{null, reasons}) {
                if (rs == null && vcpu < 0) {
                    continue;
                }
                SeqSet set = ix.select(rs, vcpu, c.size());
                List<Long> want = new ArrayList<>();
                for (long q = 0; q < c.size(); q++) {
                    if ((rs == null || rs[c.reasonCode(q)]) && (vcpu < 0 || c.vcpu(q) == vcpu)) {
                        want.add(q);
                    }
                }
                assertThat(set.size()).isEqualTo(want.size());
                for (int i = 0; i < want.size(); i += 37) {
                    assertThat(set.seqAt(i)).isEqualTo(want.get(i));
                    assertThat(set.indexOf(want.get(i))).isEqualTo(i);
                }
                assertThat(set.seqAt(want.size() - 1)).isEqualTo(want.get(want.size() - 1));
                for (long q = 1; q < c.size(); q += 1001) {
                    assertThat(set.indexOf(q) >= 0).isEqualTo(set.contains(q));
                }
            }
        }
        // only what lies below the bound
        assertThat(ix.select(reasons, -1, 100).size()).isLessThanOrEqualTo(100);
        assertThat(ix.select(null, 0, 0).size()).isZero();
    }

    @Test
    void theColumnsAreReadOnceHoweverManyFiltersFollow() {
        ExitStore store = SyntheticExits.fill(100_000, 2, 1_000, 22);
        long[] reads = {0};
        ExitColumns c = store.columns();
        ExitColumns counted = new ExitColumns() {
            @Override
            public long size() {
                return c.size();
            }

            @Override
            public long timeNs(long seq) {
                reads[0]++;
                return c.timeNs(seq);
            }

            @Override
            public int vcpu(long seq) {
                reads[0]++;
                return c.vcpu(seq);
            }

            @Override
            public int reasonCode(long seq) {
                reads[0]++;
                return c.reasonCode(seq);
            }
        };
        ColumnIndex ix = new ColumnIndex(counted);
        boolean[] reasons = new boolean[256];
        reasons[dev.vmscope.engine.exit.KvmExitReason.IO.code] = true;
        ix.select(reasons, -1, c.size());
        long once = reads[0];
        assertThat(once).as("one pass: reason and vCPU of each exit").isEqualTo(2 * c.size());
        for (int v = -1; v < 2; v++) {
            ix.select(reasons, v, c.size());
            ix.select(null, Math.max(0, v), c.size());
        }
        assertThat(reads[0]).as("later filters are word operations on the index").isEqualTo(once);
    }
}
