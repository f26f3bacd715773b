package dev.vmscope.app.ui.disasm;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.session.ReplaySession;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.trace.CodePage;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.app.ui.main.Samples;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A replay disassembles the code its trace kept, and says so plainly when it kept none. */
class DisassemblyViewModelTest {
    @Test
    void aTraceWithoutCodeSaysWhyThereIsNoListing() {
        ExitStore store = SyntheticExits.fill(100, 1, 1000, 1);
        DisassemblyViewModel vm = new DisassemblyViewModel(new ExitSelection());
        vm.setSession(new ReplaySession(store, "old.vmtrace"));
        assertThat(vm.messageProperty().get()).isEqualTo(DisassemblyViewModel.TRACE_NOTE);
        assertThat(vm.listingProperty().get()).isNull();
    }

    @Test
    void aTraceWithCodeIsDisassembledAtTheExitsRip() {
        ExitStore store = SyntheticExits.fill(100, 1, 1000, 1);
        byte[] page = new byte[CodePage.SIZE];
        // at 0x1008: mov dx, 0x3f8 ; out dx, al ; hlt — the synthetic serial exits stop at 0x100B (real mode)
        System.arraycopy(new byte[]{(byte) 0xBA, (byte) 0xF8, 0x03, (byte) 0xEE, (byte) 0xF4}, 0, page, 0x008, 5);
        store.addCodePage(new CodePage(CodePage.NO_PAGING, 1, 0, page));
        long seq = 0;
        while (store.get(seq).state().rip() != 0x100B) {
            seq++;
        }
        DisassemblyViewModel.Result r = DisassemblyViewModel.readRecorded(store, seq);
        ListingText t = r.text();
        assertThat(t).isNotNull();
        assertThat(t.line(t.current())).startsWith(ListingText.MARK).contains("0000100b").endsWith("out dx, al");
        assertThat(t.line(t.current() - 1)).endsWith("mov dx, 0x3f8");
        assertThat(r.title()).contains("exit #" + seq).contains("16-bit");
        assertThat(r.message()).contains("as the trace kept it");
    }

    @Test
    void atAHltExitTheHltIsMarkedNotTheBytesAfterIt() throws Exception {
        // hello: ... cli ; hlt (0x1010) ; "Hello…" — KVM reports the HLT with RIP at 0x1011, the string's 'H' (dec ax)
        ExitSource src = TraceReader.open(Samples.directory().resolve("hello/hello.vmtrace")).source();
        long hlt = src.size() - 1;
        assertThat(src.get(hlt).reason()).isEqualTo(KvmExitReason.HLT);
        assertThat(src.get(hlt).state().rip()).isEqualTo(0x1011);
        ListingText t = DisassemblyViewModel.readRecorded(src, hlt).text();
        assertThat(t.line(t.current())).startsWith(ListingText.MARK).contains("00001010").endsWith("hlt");
        assertThat(DisassemblyViewModel.readRecorded(src, hlt).message()).contains("already past");
    }
}
