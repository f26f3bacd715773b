package dev.vmscope.app.ui.main;

import dev.vmscope.app.cli.GdbBatch;
import dev.vmscope.app.ui.session.GdbLink;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.gdb.GdbArch;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The window follows gdb (Run ▸ Wait for gdb…, or ui --gdb): every stop gdb sees is selected in every pane. */
class GdbFollowTest extends WindowTest {
    @Test
    void everyGdbStopSelectsItsExit() throws Exception {
        GdbBatch.requireGdb();
        openSampleLive("longmode");
        List<String> log = new CopyOnWriteArrayList<>();
        GdbLink link = new GdbLink("127.0.0.1:0", GdbArch.X86_64, log::add);
        FxTests.onFx(() -> w.vm.setGdb(link));
        String hostPort = FxTests.onFx(link::hostPort);
        assertThat(FxTests.onFx(() -> w.vm.statusProperty().get())).contains("gdb: target remote " + hostPort);
        int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
        String out = GdbBatch.run(port, "hbreak *0x1062", "continue", "stepi", "stepi", "p/x $pc");
        assertThat(out).contains("$1 = 0x1068");
        FxTests.waitUntil("the window on gdb's last stop", 20, () -> {
            w.window.updater().frame();
            return w.vm.session().source().size() == 3 && w.vm.selection().seq() == 2;
        });
        long rip = FxTests.onFx(() -> w.vm.session().source().get(w.vm.selection().seq()).state().rip());
        assertThat(rip).isEqualTo(0x1068);
        assertThat(log).anyMatch(l -> l.contains("gdb detached"));
    }
}
