package dev.vmscope.app.ui.main;

import dev.vmscope.app.ui.bench.IoloopTraces;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.app.ui.vmcs.ExitDetails;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A big trace is usable in the real window before it has been read to its end: with the reader held halfway
 * through the file, the run is shown (timeline summary, exit list), its first exit selected in every pane, and
 * the exits read so far can be selected; released, the rest arrives in the same window without reopening it.
 */
class OpenWhileReadingTest extends WindowTest {
    private static final long EXITS = 400_000;

    @TempDir
    Path dir;

    @Test
    void theWindowIsUsableWhileTheTraceIsStillBeingRead() throws Exception {
        Path file = IoloopTraces.get(EXITS, dir);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        TraceReader.Progress gate = fraction -> {
            if (fraction >= 0.5 && release.getCount() > 0) {
                halfway.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS);   // the test lets it go (and always does)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        w = WindowFixture.open();
        showTab("disassembly-tab");
        try {
            FxTests.onFx(() -> w.vm.openTrace(file, gate));
            assertThat(halfway.await(60, TimeUnit.SECONDS)).as("the reader got halfway").isTrue();
            FxTests.waitUntil("the first exit in every pane", 60, () -> shows(0));
            long readSoFar = FxTests.onFx(() -> w.vm.session().source().size());
            assertThat(readSoFar).as("exits readable while the reader is held").isPositive().isLessThan(EXITS);
            assertThat(FxTests.onFx(() -> w.vm.openProgressProperty().get())).isBetween(0.0, 1.0);
            FxTests.waitUntil("the run on the timeline", 60,
                    () -> w.vm.timeline().summary() != null && w.vm.timeline().summary().built() > 0);
            FxTests.waitUntil("the exits read so far listed", 60, () -> w.vm.exits().rowCount() == readSoFar);
            FxTests.waitUntil("IO offered by the reason filter", 60,
                    () -> w.window.exitTable().reasonFilter().getItems().contains(KvmExitReason.IO.code));
            assertThat(FxTests.onFx(() -> List.copyOf(w.window.exitTable().reasonFilter().getItems())))
                    .as("the reasons read so far: the HLT comes last").containsExactly(KvmExitReason.IO.code);
            long later = readSoFar - 1;
            FxTests.onFx(() -> w.vm.selection().select(later));
            FxTests.waitUntil("an exit read so far in every pane", 60, () -> shows(later));
        } finally {
            release.countDown();
        }
        FxTests.waitUntil("the whole trace read", 120, () -> w.vm.openProgressProperty().get() < 0
                && w.vm.session().source().size() == EXITS);
        FxTests.waitUntil("every exit listed", 60, () -> w.vm.exits().rowCount() == EXITS);
        // the reason index follows the read: the reason that only the end of the file has is offered too
        FxTests.waitUntil("HLT offered by the reason filter", 60,
                () -> w.window.exitTable().reasonFilter().getItems().contains(KvmExitReason.HLT.code));
        FxTests.onFx(() -> w.vm.selection().last());
        FxTests.waitUntil("the last exit in every pane", 60, () -> shows(EXITS - 1));
        assertThat(FxTests.onFx(() -> w.vm.registers().current().reason())).isEqualTo(KvmExitReason.HLT);
        assertThat(FxTests.onFx(() -> w.vm.bannerProperty().get())).isEmpty();
    }

    /** True when the list, registers, explanation/VMCS and disassembly all show exit {@code seq} (FX thread). */
    private boolean shows(long seq) {
        if (w.vm.session() == null) {
            return false;
        }
        ExitRecord r = w.vm.registers().current();
        ExitDetails d = w.window.exitDetails().model().details();
        var row = w.window.exitTable().table().getSelectionModel().getSelectedItem();
        String disasm = w.window.debugPanes().disassembly().titleProperty().get();
        return w.vm.selection().seq() == seq && r != null && r.seq() == seq && d != null && d.seq() == seq
                && !d.pending() && row != null && row.seq() == seq && disasm.contains("exit #" + seq + " ");
    }
}
