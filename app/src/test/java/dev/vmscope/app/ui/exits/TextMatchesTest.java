package dev.vmscope.app.ui.exits;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The text filter's list: the scanned and the named runs read as one ascending list, however they interleave. */
class TextMatchesTest {
    @Test
    void theTwoRunsReadAsOneAscendingList() {
        SplittableRandom r = new SplittableRandom(5);
        for (int round = 0; round < 200; round++) {
            TextMatches m = new TextMatches();
            TreeSet<Long> all = new TreeSet<>();
            long scanAt = 0;
            long nameAt = 0;
            for (int step = 0; step < 6; step++) {
                // the pass adds a block above what it added; names come in blocks of their own, above theirs
                long[] block = ascending(r, scanAt, all, r.nextInt(0, 20));
                m.addScanned(block, block.length);
                scanAt = block.length == 0 ? scanAt : block[block.length - 1] + 1;
                if (r.nextBoolean()) {
                    long[] names = ascending(r, nameAt, all, r.nextInt(0, 5));
                    m.addNamed(names, names.length);
                    nameAt = names.length == 0 ? nameAt : names[names.length - 1] + 1;
                }
            }
            Long[] want = all.toArray(new Long[0]);
            assertThat(m.size()).isEqualTo(want.length);
            for (int k = 0; k < want.length; k++) {
                assertThat(m.seqAt(k)).as("round %d, member %d", round, k).isEqualTo(want[k]);
                assertThat(m.indexOf(want[k])).isEqualTo(k);
            }
            assertThat(m.indexOf(-5)).isEqualTo(-1);
            for (long q = 0; q < 50; q++) {
                if (!all.contains(q)) {
                    assertThat(m.indexOf(q)).isEqualTo(-1);
                }
            }
        }
    }

    /** {@code n} seqs above {@code from}, ascending, none already in {@code taken} (which gets them). */
    private static long[] ascending(SplittableRandom r, long from, TreeSet<Long> taken, int n) {
        long[] out = new long[n];
        long q = from;
        for (int i = 0; i < n; i++) {
            do {
                q += r.nextInt(1, 4);
            } while (taken.contains(q));
            out[i] = q;
            taken.add(q);
        }
        return out;
    }
}
