package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.app.ui.bench.IoloopTraces;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.FxToolkitExtension;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.TraceReader;
import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A text that names a reason lists that reason's exits from the reason index at once, before the pass over the
 * decoded exits reaches them, and the list is still exactly what the pass alone would find, in seq order.
 */
@ExtendWith(FxToolkitExtension.class)
class TextFilterByReasonNameTest {
    @TempDir
    Path dir;

    @Test
    void theLastExitOfALoopIsListedBeforeThePassReachesIt() throws Exception {
        Path file = IoloopTraces.get(300_000, dir);      // OUTs, then one HLT: the last exit
        ExitSource source = TraceReader.open(file).source();
        long hlt = source.size() - 1;
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(source));
        List<Boolean> busyAtFirstRow = new ArrayList<>();
        FxTests.onFx(() -> vm.rows().addListener((ListChangeListener<ExitRow>) c -> {
            if (busyAtFirstRow.isEmpty() && vm.rowCount() > 0) {
                busyAtFirstRow.add(vm.busyProperty().get());
            }
        }));
        FxTests.onFx(() -> vm.setFilter(null, -1, "hlt"));
        FxTests.waitUntil("the text filter", 60, () -> !vm.busyProperty().get());
        assertThat(vm.rowCount()).isEqualTo(1);
        assertThat(vm.seqAt(0)).isEqualTo(hlt);
        assertThat(vm.indexOf(hlt)).isZero();
        assertThat(busyAtFirstRow).as("the HLT listed while the pass was still going").containsExactly(true);
        assertThat(vm.summaryProperty().get()).isEqualTo(String.format("1 of %,d exits", source.size()));
    }

    @Test
    void namedAndScannedMatchesMakeTheListAPassAloneWouldMake() {
        ExitStore store = SyntheticExits.fill(200_000, 2, 1_000, 21);
        ExitTableViewModel vm = new ExitTableViewModel(new ExitSelection());
        FxTests.onFx(() -> vm.setSource(store));
        for (String text : new String[]{"hlt", "h", "mm", "msr", "io", "shutdown"}) {
            FxTests.onFx(() -> vm.setFilter(null, -1, text));
            FxTests.waitUntil("the filter \"" + text + "\"", 60, () -> !vm.busyProperty().get());
            List<Long> want = byHand(store, text);
            assertThat(vm.rowCount()).as(text).isEqualTo(want.size());
            for (int i = 0; i < want.size(); i += Math.max(1, want.size() / 997)) {
                int k = i;
                assertThat(FxTests.onFx(() -> vm.seqAt(k))).as("%s row %d", text, k).isEqualTo(want.get(k));
                assertThat(FxTests.onFx(() -> vm.indexOf(want.get(k)))).isEqualTo(k);
            }
            if (!want.isEmpty()) {
                assertThat(FxTests.onFx(() -> vm.seqAt(want.size() - 1))).isEqualTo(want.get(want.size() - 1));
            }
        }
    }

    /** The exits whose reason name, detail or RIP holds {@code text}, ascending, by a plain pass. */
    private static List<Long> byHand(ExitStore store, String text) {
        List<Long> out = new ArrayList<>();
        store.scan(0, store.size(), r -> {
            String all = (ReasonPalette.name(store.columns().reasonCode(r.seq())) + "\n" + r.exit().detail()
                    + "\n0x" + Long.toHexString(r.state().rip())).toLowerCase(Locale.ROOT);
            if (all.contains(text)) {
                out.add(r.seq());
            }
        });
        return out;
    }
}
