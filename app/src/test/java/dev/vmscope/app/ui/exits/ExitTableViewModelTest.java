package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.FxToolkitExtension;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.ExitStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The virtual row list and its filters (filters finish on the FX thread, so the toolkit runs). */
@ExtendWith(FxToolkitExtension.class)
class ExitTableViewModelTest {

    @Test
    void aMillionExitsMakeNoRowsUntilAskedAndTheTableHoldsOnePage() {
        ExitStore store = SyntheticExits.fill(1_000_000, 2, 1_000, 11);
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(store));
        assertThat(vm.rowCount()).isEqualTo(1_000_000);
        assertThat(vm.rows().size()).isEqualTo(ExitTableViewModel.PAGE);
        assertThat(vm.pageStart()).isZero();
        // a row far down moves the page so that it sits in the page's middle
        assertThat(FxTests.onFx(() -> vm.pageTo(765_432))).isTrue();
        assertThat(vm.pageStart()).isEqualTo(765_432 - ExitTableViewModel.PAGE / 2);
        assertThat(FxTests.onFx(() -> vm.pageTo(765_432 + 10))).as("near the middle: the page stays").isFalse();
        ExitRow r = vm.rows().get(765_432 - vm.pageStart());
        assertThat(r.seq()).isEqualTo(765_432);
        assertThat(r.reasonCode()).isEqualTo(store.columns().reasonCode(765_432));
        assertThat(r.detail()).isEqualTo(store.get(765_432).exit().detail());
        assertThat(r.rip()).isEqualTo(String.format("0x%x", store.get(765_432).state().rip()));
        assertThat(vm.summaryProperty().get()).isEqualTo("1,000,000 exits");
        // the last rows: the page ends with the list
        assertThat(FxTests.onFx(() -> vm.pageTo(999_999))).isTrue();
        assertThat(vm.pageStart() + vm.pageSize()).isEqualTo(1_000_000);
        assertThat(vm.rows().get(vm.pageSize() - 1).seq()).isEqualTo(999_999);
    }

    @Test
    void filtersByReasonVcpuAndText() {
        ExitStore store = SyntheticExits.fill(50_000, 2, 1_000, 12);
        ExitColumns c = store.columns();
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(store));
        int mmio = KvmExitReason.MMIO.code;
        FxTests.onFx(() -> vm.setFilter(Set.of(mmio), 1, ""));
        long expected = 0;
        for (long s = 0; s < c.size(); s++) {
            if (c.reasonCode(s) == mmio && c.vcpu(s) == 1) {
                expected++;
            }
        }
        long want = expected;
        FxTests.waitUntil("the reason filter", 10, () -> !vm.busyProperty().get() && vm.rowCount() == want);
        assertThat(vm.summaryProperty().get()).isEqualTo(String.format("%,d of 50,000 exits", want));
        for (int i = 0; i < vm.pageSize(); i += 97) {
            ExitRow r = vm.rows().get(i);
            assertThat(r.reasonCode()).isEqualTo(mmio);
            assertThat(r.vcpu()).isEqualTo(1);
        }
        long someSeq = vm.seqAt(vm.rowCount() / 2);
        assertThat(vm.indexOf(someSeq)).isEqualTo(vm.rowCount() / 2);

        FxTests.onFx(() -> vm.setFilter(null, -1, "out 0x3f8"));
        FxTests.waitUntil("the text filter", 20, () -> !vm.busyProperty().get() && vm.rowCount() > 0);
        for (int i = 0; i < vm.pageSize(); i += 501) {
            assertThat(vm.rows().get(i).detail()).startsWith("out 0x3f8");
        }
        FxTests.onFx(() -> vm.setFilter(null, -1, ""));
        assertThat(vm.rowCount()).isEqualTo(50_000);
    }

    /** Exits a plain pass over the decoded exits finds for the text filter (reason, detail, RIP, #seq). */
    private static long countByHand(ExitStore store, String text, int reason) {
        long[] n = {0};
        store.scan(0, store.size(), r -> {
            String all = (dev.vmscope.app.ui.ReasonPalette.name(store.columns().reasonCode(r.seq())) + "\n"
                    + r.exit().detail() + "\n0x" + Long.toHexString(r.state().rip())).toLowerCase(java.util.Locale.ROOT);
            if ((reason < 0 || store.columns().reasonCode(r.seq()) == reason) && all.contains(text)) {
                n[0]++;
            }
        });
        return n[0];
    }

    @Test
    void theTextFilterListsItsFirstMatchesWhileItGoesOnFindsThemAllAndStopsWhenCleared() {
        ExitStore store = SyntheticExits.fill(400_000, 2, 1_000, 13);
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(store));
        // rows listed while the pass is still busy: the first blocks' matches reach the list before the last
        boolean[] rowsWhileBusy = {false};
        FxTests.onFx(() -> vm.rows().addListener((javafx.collections.ListChangeListener<ExitRow>) ch -> {
            rowsWhileBusy[0] |= vm.busyProperty().get() && vm.rowCount() > 0;
        }));
        FxTests.onFx(() -> vm.setFilter(null, -1, "0x3fd"));
        FxTests.waitUntil("the text filter", 60, () -> !vm.busyProperty().get() && vm.rowCount() > 0);
        assertThat(rowsWhileBusy[0]).as("first matches listed while the rest were being found").isTrue();
        assertThat((long) vm.rowCount()).isEqualTo(countByHand(store, "0x3fd", -1));
        assertThat(vm.summaryProperty().get()).doesNotContain("filtering");
        // a RIP, and text with a reason filter
        FxTests.onFx(() -> vm.setFilter(null, -1, "0x1014"));
        FxTests.waitUntil("the RIP filter", 60, () -> !vm.busyProperty().get() && vm.rowCount() > 0);
        assertThat((long) vm.rowCount()).isEqualTo(countByHand(store, "0x1014", -1));
        int io = KvmExitReason.IO.code;
        FxTests.onFx(() -> vm.setFilter(Set.of(io), -1, "'h'"));
        FxTests.waitUntil("text within a reason", 60, () -> !vm.busyProperty().get() && vm.rowCount() > 0);
        assertThat((long) vm.rowCount()).isEqualTo(countByHand(store, "'h'", io));
        // a pass cleared before it ends stops: its late matches never reach the list
        FxTests.onFx(() -> {
            vm.setFilter(null, -1, "rdmsr");
            vm.setFilter(null, -1, "");
        });
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.rowCount()).isEqualTo(400_000);
        FxTests.onFx(() -> vm.refresh());
        assertThat(FxTests.onFx(() -> vm.rowCount())).isEqualTo(400_000);
        assertThat(vm.summaryProperty().get()).isEqualTo("400,000 exits");
    }

    @Test
    void theFirstMatchesAreListedAfterAFewThousandExitsNotAfterAWholeBlock() {
        ExitStore store = SyntheticExits.fill(300_000, 1, 1_000, 7);
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(store));
        int[] firstListed = {-1};
        FxTests.onFx(() -> vm.rows().addListener((javafx.collections.ListChangeListener<ExitRow>) ch -> {
            if (firstListed[0] < 0 && vm.rowCount() > 0) {
                firstListed[0] = vm.rowCount();
            }
        }));
        FxTests.onFx(() -> vm.setFilter(null, -1, "0x"));   // every exit's RIP: every exit matches
        FxTests.waitUntil("the text filter", 60, () -> !vm.busyProperty().get());
        assertThat(vm.rowCount()).isEqualTo(300_000);
        // two halves were scanned side by side; the list is still every exit, in order
        FxTests.onFx(() -> {
            for (int i = 0; i < 300_000; i += 1_009) {
                assertThat(vm.seqAt(i)).isEqualTo(i);
            }
        });
        // the first hand-over holds the first block's matches: a few thousand, so they show within a millisecond
        assertThat(firstListed[0]).isBetween(1, 4096);
    }

    @Test
    void theRipColumnNamesTheCodeAndTheFilterFindsIt() throws Exception {
        ExitSource trace = dev.vmscope.engine.trace.TraceReader.open(java.nio.file.Path.of(
                System.getProperty("vmscope.samples", "../samples"), "symbols", "symbols.vmtrace")).source();
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(trace));
        assertThat(vm.rows().get(0).rip()).isEqualTo("0x1000a0 <putc+0x5>");
        assertThat(vm.rows().get((int) trace.size() - 1).rip()).isEqualTo("0x10006e <halt+0x4>");
        FxTests.onFx(() -> vm.setFilter(null, -1, "halt"));
        FxTests.waitUntil("the symbol filter", 10, () -> !vm.busyProperty().get() && vm.rowCount() == 1);
    }
}
