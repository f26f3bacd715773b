package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.engine.vmcs.Provenance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The VMCS inspector's and explanation pane's models on the bundled hello trace; no toolkit needed. */
class VmcsViewModelTest {
    /** {@code out dx, al}: what hello executes for every character. */
    private static final byte[] OUT_DX_AL = {(byte) 0xEE};

    private static ExitSource hello;

    @BeforeAll
    static void open() throws Exception {
        Path samples = Path.of(System.getProperty("vmscope.samples", "../samples"));
        hello = TraceReader.open(samples.resolve("hello/hello.vmtrace")).source();
    }

    private static ExitDetails details(long seq, byte[] bytes) {
        ExitRecord r = hello.get(seq);
        long p = hello.columns().previousOfSameVcpu(seq);
        return ExitDetails.of(r, bytes, p < 0 ? null : hello.get(p), bytes, bytes != null);
    }

    private static VmcsViewModel showing(ExitDetails d) {
        ExitDetailsViewModel m = new ExitDetailsViewModel(new ExitSelection());
        VmcsViewModel vm = new VmcsViewModel(m);
        m.show(d);
        return vm;
    }

    @Test
    void aTraceExitListsEveryFieldByAreaExitInformationFirst() {
        VmcsViewModel vm = showing(details(0, null));
        assertThat(vm.groups()).extracting(FieldGroup::key).containsExactly("EXIT_INFO", "GUEST", "CONTROL", "HOST");
        assertThat(vm.titleProperty().get()).isEqualTo("VMCS · exit #0 · vCPU 0 · exit reason 30 IO_INSTRUCTION");
        FieldRow reason = vm.row("VM_EXIT_REASON");
        assertThat(reason.value()).isEqualTo("0x0000001E");
        assertThat(reason.decoded()).contains("IO_INSTRUCTION");
        assertThat(reason.location()).isEqualTo("0x4402");
        // in each area the fields with a value come first, each part in SDM (encoding) order
        List<FieldRow> exitInfo = vm.groups().get(0).rows();
        assertThat(exitInfo.get(0).name()).isEqualTo("VM_EXIT_REASON");
        int firstEmpty = (int) exitInfo.stream().filter(FieldRow::hasValue).count();
        assertThat(exitInfo.subList(0, firstEmpty)).allMatch(FieldRow::hasValue);
        assertThat(exitInfo.subList(firstEmpty, exitInfo.size())).noneMatch(FieldRow::hasValue);
        assertThat(exitInfo.subList(0, firstEmpty)).extracting(r -> Integer.decode(r.location())).isSorted();
        assertThat(vm.groups().get(0).summary()).isEqualTo(firstEmpty + " of " + exitInfo.size() + " with a value");
        // no instruction bytes (a trace that kept no code): string, REP and operand bits are unknown, shown so
        FieldRow q = vm.row("EXIT_QUALIFICATION");
        assertThat(q.value()).isEqualTo("0x0000000003F800?0");
        assertThat(q.partlyUnknown()).isTrue();
        assertThat(q.decodedDetail()).contains("PORT").contains("0x3F8").contains("? (unknown)");
        assertThat(vm.noteProperty().get()).contains("first exit of vCPU 0").contains("the trace kept no code");
        assertThat(vm.countsProperty().get()).startsWith(vm.groups().stream().mapToInt(g -> g.rows().size()).sum()
                + " fields");
    }

    @Test
    void fieldsWithoutAValueShowNoNumberOnlyTheReason() {
        VmcsViewModel vm = showing(details(0, OUT_DX_AL));
        List<FieldRow> all = vm.groups().stream().flatMap(g -> g.rows().stream()).toList();
        assertThat(all).filteredOn(r -> !r.hasValue()).isNotEmpty().allSatisfy(r -> {
            assertThat(r.value()).isEqualTo("—");
            assertThat(r.decoded()).isEmpty();
            assertThat(r.decodedDetail()).isEmpty();
            assertThat(r.note()).isNotBlank();
        });
        FieldRow hostRip = vm.row("HOST_RIP");
        assertThat(hostRip.provenance()).isEqualTo(Provenance.NOT_VISIBLE);
        assertThat(hostRip.note()).contains("host");
        assertThat(VmcsView.describe(hostRip)).contains("no value").contains(hostRip.note()).doesNotContain("0x0");
    }

    @Test
    void instructionBytesSettleTheQualification() {
        VmcsViewModel vm = showing(details(0, OUT_DX_AL));
        assertThat(vm.row("EXIT_QUALIFICATION").value()).isEqualTo("0x0000000003F80000");
        assertThat(vm.row("EXIT_QUALIFICATION").partlyUnknown()).isFalse();
        assertThat(vm.row("VM_EXIT_INSTRUCTION_LEN").value()).isEqualTo("0x00000001");
        assertThat(vm.noteProperty().get()).contains("instruction bytes from guest memory: EE");
    }

    @Test
    void searchFindsNamesAndEncodings() {
        VmcsViewModel vm = showing(details(0, null));
        vm.searchProperty().set("qualif");
        assertThat(vm.groups()).hasSize(1);
        assertThat(vm.groups().get(0).rows()).extracting(FieldRow::name).containsExactly("EXIT_QUALIFICATION");
        vm.searchProperty().set("0x6400");
        assertThat(vm.visibleRowCount()).isEqualTo(1);
        assertThat(vm.row("EXIT_QUALIFICATION")).isNotNull();
        vm.searchProperty().set("681E");
        assertThat(vm.groups().get(0).rows()).extracting(FieldRow::name).containsExactly("GUEST_RIP");
        // words and what the SDM's names abbreviate: "CS access" is GUEST_CS_AR_BYTES, however it is typed
        for (String q : new String[]{"CS access", "cs_access", "CS_ACCESS", "guest cs access rights", "cs ar"}) {
            vm.searchProperty().set(q);
            assertThat(vm.groups().stream().flatMap(g -> g.rows().stream()).map(FieldRow::name))
                    .as("'%s'", q).containsExactly("GUEST_CS_AR_BYTES");
        }
        vm.searchProperty().set("exit instruction length");
        assertThat(vm.row("VM_EXIT_INSTRUCTION_LEN")).isNotNull();
        assertThat(vm.groups().stream().flatMap(g -> g.rows().stream()).map(FieldRow::name))
                .contains("VM_EXIT_INSTRUCTION_LEN");
        vm.searchProperty().set("no such field");
        assertThat(vm.groups()).isEmpty();
        assertThat(vm.placeholderProperty().get()).contains("no field matches 'no such field'");
        vm.searchProperty().set("  ");
        assertThat(vm.visibleRowCount()).isEqualTo(vm.groups().stream().mapToInt(g -> g.rows().size()).sum())
                .isGreaterThan(150);
    }

    @Test
    void changedOnlyKeepsWhatDiffersFromTheVcpusPreviousExit() {
        long hlt = hello.size() - 1;
        assertThat(hello.get(hlt).reason()).isEqualTo(KvmExitReason.HLT);
        VmcsViewModel vm = showing(details(hlt, null));
        FieldRow reason = vm.row("VM_EXIT_REASON");
        assertThat(reason.changed()).isTrue();
        assertThat(reason.before()).isEqualTo("0x0000001E");
        assertThat(vm.row("GUEST_CS_SELECTOR").changed()).isFalse();
        int all = vm.visibleRowCount();
        vm.changedOnlyProperty().set(true);
        assertThat(vm.visibleRowCount()).isBetween(1, all - 1);
        assertThat(vm.groups()).allSatisfy(g -> assertThat(g.rows()).allMatch(FieldRow::changed));
        assertThat(vm.row("VM_EXIT_REASON")).isNotNull();
        assertThat(vm.row("GUEST_CS_SELECTOR")).isNull();
        assertThat(vm.noteProperty().get()).contains("changed since exit #" + (hlt - 1));

        // the first exit has nothing to compare with, and says so
        ExitDetailsViewModel m = vm.model();
        m.show(details(0, null));
        assertThat(vm.groups()).isEmpty();
        assertThat(vm.placeholderProperty().get()).contains("first of vCPU 0");
    }

    @Test
    void theVmcbLayoutShowsTheSameExitAsAnAmdExitCode() {
        VmcsViewModel vm = showing(details(0, OUT_DX_AL));
        vm.layoutProperty().set(VmcsViewModel.Layout.VMCB);
        assertThat(vm.groups()).extracting(FieldGroup::key).containsExactly("VMCB_CONTROL", "VMCB_SAVE");
        FieldRow code = vm.row("EXIT_CODE");
        assertThat(code.value()).endsWith("7B").matches("0x0+7B");
        assertThat(vm.titleProperty().get()).contains("EXITCODE 0x7B IOIO");
        assertThat(vm.row("VM_EXIT_REASON")).isNull();
        vm.layoutProperty().set(VmcsViewModel.Layout.VMCS);
        assertThat(vm.row("VM_EXIT_REASON")).isNotNull();
    }

    @Test
    void theExplanationNamesThePortAndReadsTheQualificationOut() {
        ExitDetailsViewModel m = new ExitDetailsViewModel(new ExitSelection());
        ExplanationViewModel vm = new ExplanationViewModel(m);
        assertThat(vm.content().placeholder()).isEqualTo("select an exit");
        m.show(details(0, OUT_DX_AL));
        ExplanationViewModel.Content c = vm.content();
        assertThat(c.placeholder()).isNull();
        assertThat(c.headline()).contains("Exit #0").contains("VMX 30 IO_INSTRUCTION").contains("SVM 0x7B IOIO");
        assertThat(c.reported()).contains("out 0x3f8 size 1 = 0x48 'H'").contains("The guest wrote 0x48 ('H')");
        assertThat(c.explanations()).extracting(e -> e.title()).containsExactly("Port I/O", "IO_INSTRUCTION");
        assertThat(c.explanations().get(1).readMore()).contains("Intel SDM");
        assertThat(c.qualification()).isEqualTo("Exit qualification 0x0000000003F80000 (derived)");
        assertThat(c.qualificationText()).startsWith("OUT of 1 byte to port 0x3F8 (COM1 serial port (UART), data register).")
                .contains("The port number came from DX").contains("not a string instruction").contains("no REP prefix")
                .doesNotContain("Unknown");
        // from a trace: the same exit, with what only the bytes tell marked unknown
        m.show(details(0, null));
        assertThat(vm.content().qualificationText()).contains("port 0x3F8")
                .contains("Unknown (?): whether the instruction took the port from DX or an immediate, was a string"
                        + " instruction or had a REP prefix.");
        assertThat(vm.content().text()).contains("KVM does not say");
    }
}
