package dev.vmscope.app.ui.disasm;

import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.testing.FxTests;
import dev.vmscope.app.ui.testing.WindowFixture;
import dev.vmscope.app.ui.testing.WindowTest;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import javafx.geometry.Point2D;
import org.fxmisc.richtext.StyleClassedTextArea;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The symbols sample's recording (a real run on /dev/kvm, kept with its ELF symbols) in the real window: the
 * disassembly tab labels where functions start and names call and jump targets, and the timeline's hover
 * names the exit's RIP, as the exit list does.
 */
class SymbolsInWindowTest extends WindowTest {
    @Test
    void theDisassemblyAndTheTimelineHoverNameAddresses() throws Exception {
        w = WindowFixture.open();
        FxTests.onFx(() -> w.vm.openTrace(Samples.directory().resolve("symbols/symbols.vmtrace")));
        FxTests.waitUntil("the trace", 20, () -> w.vm.session() != null && w.vm.session().source().size() > 10);
        long io = 5;   // a character leaving through putc's OUT
        ExitRecord r = FxTests.onFx(() -> w.vm.session().source().get(io));
        assertThat(r.reason()).isEqualTo(KvmExitReason.IO);

        FxTests.onFx(() -> w.vm.selection().select(io));
        showTab("disassembly-tab");
        FxTests.waitUntil("the listing from the trace's code", 10, () -> {
            w.window.updater().frame();
            return w.window.debugPanes().disassembly().listingProperty().get() != null;
        });
        ListingText t = FxTests.onFx(() -> w.window.debugPanes().disassembly().listingProperty().get());
        String shown = FxTests.onFx(() -> ((StyleClassedTextArea) w.stage.getScene().lookup("#disassembly-text"))
                .getText());
        assertThat(shown).isEqualTo(t.text());
        List<String> lines = Arrays.asList(shown.split("\n"));
        // RIP is putc+0x5, past the OUT that exited (the mark is on the OUT); putc's label line stands before
        // its first instruction
        int putc = lines.indexOf("putc:");
        int puts = lines.indexOf("puts:");
        assertThat(putc).as(shown).isPositive();
        assertThat(puts).as(shown).isNotNegative().isLessThan(putc);
        assertThat(lines.get(putc + 1)).contains("0010009b").contains("mov");
        assertThat(t.current()).isGreaterThan(putc);
        assertThat(lines.get(t.current())).startsWith(ListingText.MARK).contains("0010009f").endsWith("out dx, al");
        // puts calls putc and loops back to itself: both targets named, styled as labels
        assertThat(lines.subList(puts, putc)).anyMatch(l -> l.matches(".*call 0x10009b <putc>$"))
                .anyMatch(l -> l.matches(".*jmp (short )?0x[0-9a-f]+ <puts>$"));
        int call = shown.indexOf("<putc>");
        assertThat(t.spans()).anyMatch(s -> s.styleClass().equals("asm-label") && s.start() == call
                && s.end() == call + "<putc>".length());

        // the timeline's hover over the same exit
        FxTests.onFx(() -> {
            var tl = w.vm.timeline();
            var c = tl.source().columns();
            double span = Math.max(2_000, c.timeNs(io + 1) - c.timeNs(io - 1)) * 1.6;
            tl.zoom(tl.span() / span, tl.plotWidth() / 2);
            tl.centreOn(c.timeNs(io));
            w.window.updater().frame();
            w.window.timeline().redrawNow();
        });
        Point2D p = FxTests.onFx(() -> {
            double[] xy = w.window.timeline().pointOf(io);
            return w.window.timeline().canvas().localToScreen(xy[0], xy[1]);
        });
        robot.moveTo(p);
        FxTests.waitUntil("the hover text", 5, () -> w.vm.timeline().hoverTextProperty().get().startsWith("#" + io));
        assertThat(FxTests.onFx(() -> w.vm.timeline().hoverTextProperty().get()))
                .contains("(RIP 0x1000a0 <putc+0x5>)");
    }
}
