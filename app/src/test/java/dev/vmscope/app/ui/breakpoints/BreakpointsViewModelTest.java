package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.debug.ExitBreakpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The panel's model against a fake engine that parses specs like the real one; no toolkit, no KVM. */
class BreakpointsViewModelTest {
    /** Answers at once; validates exit specs with the engine's own parser and address rows like the CPU. */
    static final class FakeEngine implements BreakpointEngine {
        final Map<String, String> exit = new LinkedHashMap<>();
        final Map<String, Boolean> enabled = new HashMap<>();
        final Map<String, Long> address = new LinkedHashMap<>();
        final Map<String, Long> hits = new HashMap<>();
        final List<String> calls = new ArrayList<>();
        String stoppedOn;
        int nextId = 1;

        @Override
        public CompletableFuture<Applied> applyExit(String key, String spec, boolean on) {
            calls.add("exit " + key + " " + spec + " " + on);
            try {
                ExitBreakpoint.parse(nextId, spec);
            } catch (RuntimeException e) {
                exit.remove(key);
                return CompletableFuture.completedFuture(Applied.failed(e.getMessage()));
            }
            exit.put(key, spec);
            enabled.put(key, on);
            return CompletableFuture.completedFuture(new Applied(nextId++, null));
        }

        @Override
        public CompletableFuture<Applied> applyAddress(String key, long a, AddressBreakpoint.Kind kind, int length,
                                                       boolean on) {
            calls.add("address " + key + " " + Long.toHexString(a) + " " + on);
            address.remove(key);
            if (!on) {
                return CompletableFuture.completedFuture(Applied.NONE);
            }
            try {
                new AddressBreakpoint(nextId, a, kind, length);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(Applied.failed(e.getMessage()));
            }
            address.put(key, a);
            return CompletableFuture.completedFuture(new Applied(nextId++, null));
        }

        @Override
        public CompletableFuture<Void> remove(String key) {
            calls.add("remove " + key);
            exit.remove(key);
            address.remove(key);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Counts> counts() {
            Map<String, Long> out = new HashMap<>();
            for (String k : exit.keySet()) {
                out.put(k, hits.getOrDefault(k, 0L));
            }
            for (String k : address.keySet()) {
                out.put(k, hits.getOrDefault(k, 0L));
            }
            return CompletableFuture.completedFuture(new Counts(out, stoppedOn));
        }
    }

    private static BreakpointsViewModel model() {
        return new BreakpointsViewModel(Runnable::run, Runnable::run);
    }

    @Test
    void checkingAReasonSetsItsSpecWithTheConditionsAndCountsShowHits() {
        BreakpointsViewModel vm = model();
        FakeEngine e = new FakeEngine();
        vm.attach(e, "hello");
        assertThat(vm.editableProperty().get()).isTrue();
        ReasonBreakpoint io = vm.reason("IO");
        vm.setConditions(io, "  port=0x3f8   out ");
        assertThat(e.exit).isEmpty();   // conditions alone set nothing until checked
        io.checkedProperty().set(true);
        assertThat(e.exit).containsEntry("reason.IO", "IO port=0x3f8 out");
        assertThat(io.hitsProperty().get()).isZero();
        e.hits.put("reason.IO", 3L);
        e.stoppedOn = "reason.IO";
        vm.requestCounts();
        assertThat(io.hitsProperty().get()).isEqualTo(3);
        assertThat(io.stoppedProperty().get()).isTrue();
        // unchecked: off, but it keeps its count
        io.checkedProperty().set(false);
        assertThat(e.enabled.get("reason.IO")).isFalse();
        assertThat(io.hitsProperty().get()).isEqualTo(3);
        // the rarer reasons are there, each with its palette colour's reason
        assertThat(vm.reasons()).extracting(ReasonBreakpoint::name)
                .contains("IO", "MMIO", "HLT", "RDMSR", "WRMSR", "SHUTDOWN", "DEBUG", "INTR", "FAIL_ENTRY",
                        "INTERNAL_ERROR", "SYSTEM_EVENT");
        assertThat(vm.reason("RDMSR").reason()).isEqualTo(dev.vmscope.engine.exit.KvmExitReason.X86_RDMSR);
    }

    @Test
    void aBadConditionShowsTheEnginesMessageOnTheRowAndAFixClearsIt() {
        BreakpointsViewModel vm = model();
        FakeEngine e = new FakeEngine();
        vm.attach(e, "hello");
        ReasonBreakpoint io = vm.reason("IO");
        io.checkedProperty().set(true);
        vm.setConditions(io, "port=0x3f8 sideways");
        assertThat(io.errorProperty().get()).contains("unknown breakpoint condition 'sideways'");
        assertThat(io.hitsProperty().get()).isEqualTo(-1);
        assertThat(e.exit).doesNotContainKey("reason.IO");   // a bad condition leaves no breakpoint behind
        vm.setConditions(io, "port=0x3f8");
        assertThat(io.errorProperty().get()).isEmpty();
        assertThat(e.exit).containsEntry("reason.IO", "IO port=0x3f8");
    }

    @Test
    void fourAddressBreakpointsAtMostAndDisablingFreesTheSlot() {
        BreakpointsViewModel vm = model();
        FakeEngine e = new FakeEngine();
        vm.attach(e, "hello");
        assertThat(vm.addAddress("zz", AddressBreakpoint.Kind.EXECUTE, 1)).isFalse();
        assertThat(vm.addressMessageProperty().get()).contains("not an address");
        for (String a : List.of("0x1000", "1004", "0x2000", "0x3000")) {
            assertThat(vm.addAddress(a, AddressBreakpoint.Kind.EXECUTE, 1)).isTrue();
        }
        assertThat(vm.fullProperty().get()).isTrue();
        assertThat(vm.addAddress("0x4000", AddressBreakpoint.Kind.EXECUTE, 1)).isFalse();
        assertThat(vm.addressMessageProperty().get()).contains("All four debug registers");
        assertThat(e.address.values()).containsExactly(0x1000L, 0x1004L, 0x2000L, 0x3000L);
        AddressBreakpointRow second = vm.addresses().get(1);
        second.enabledProperty().set(false);
        assertThat(e.address).doesNotContainKey(second.key());
        vm.removeAddress(vm.addresses().get(3));
        assertThat(vm.fullProperty().get()).isFalse();
        // a misaligned data breakpoint: the engine's message, on its row
        assertThat(vm.addAddress("0x2001", AddressBreakpoint.Kind.WRITE, 4)).isTrue();
        assertThat(vm.addresses().get(3).errorProperty().get()).contains("aligned");
        assertThat(vm.addresses().get(3).label()).isEqualTo("0x2001 w len 4");
    }

    @Test
    void withoutAnEngineThePanelIsReadOnlyAndSaysWhy() {
        BreakpointsViewModel vm = model();
        assertThat(vm.editableProperty().get()).isFalse();
        FakeEngine e = new FakeEngine();
        vm.attach(e, "hello");
        vm.reason("HLT").checkedProperty().set(true);
        vm.detach("a recording");
        assertThat(vm.editableProperty().get()).isFalse();
        assertThat(vm.hintProperty().get()).isEqualTo("a recording");
        assertThat(vm.reason("HLT").hitsProperty().get()).isEqualTo(-1);
        // a restart of the same guest sets the same rows again
        FakeEngine again = new FakeEngine();
        vm.attach(again, "hello");
        assertThat(again.exit).containsEntry("reason.HLT", "HLT");
    }

    @Test
    void rowsAreSavedPerGuestAndComeBackWhenTheSameGuestOpens(@TempDir Path dir) throws Exception {
        BreakpointFile file = new BreakpointFile(dir);
        BreakpointsViewModel vm = model();
        vm.setFile(file);
        vm.attach(new FakeEngine(), "hello");
        ReasonBreakpoint io = vm.reason("IO");
        vm.setConditions(io, "port=0x3f8 out");
        io.checkedProperty().set(true);
        vm.setConditions(vm.reason("MMIO"), "addr=0xd0000000-0xd0000fff");   // conditions kept, unchecked
        vm.addAddress("0x100f", AddressBreakpoint.Kind.EXECUTE, 1);
        vm.addAddress("0x2000", AddressBreakpoint.Kind.WRITE, 4);
        vm.addresses().get(1).enabledProperty().set(false);
        String saved = Files.readString(file.fileFor("hello"));
        assertThat(saved).contains("reason.IO=on port\\=0x3f8 out").contains("address.1=0x100f x 1 on")
                .contains("address.2=0x2000 w 4 off");

        // another guest starts empty; hello's rows come back in a new window's model
        BreakpointsViewModel other = model();
        other.setFile(file);
        FakeEngine e = new FakeEngine();
        other.attach(e, "mmio");
        assertThat(other.reason("IO").checked()).isFalse();
        other.attach(e, "hello");
        assertThat(other.reason("IO").checked()).isTrue();
        assertThat(other.reason("IO").conditionsProperty().get()).isEqualTo("port=0x3f8 out");
        assertThat(other.reason("MMIO").checked()).isFalse();
        assertThat(other.reason("MMIO").conditionsProperty().get()).isEqualTo("addr=0xd0000000-0xd0000fff");
        assertThat(other.addresses()).extracting(AddressBreakpointRow::label).containsExactly("0x100f x", "0x2000 w len 4");
        assertThat(other.addresses().get(1).enabled()).isFalse();
        assertThat(e.exit).containsEntry("reason.IO", "IO port=0x3f8 out");
        assertThat(e.address).containsValue(0x100fL).doesNotContainValue(0x2000L);
        // a replay of hello shows them read-only
        BreakpointsViewModel replay = model();
        replay.setFile(file);
        replay.showReadOnly("hello", "recording");
        assertThat(replay.reason("IO").checked()).isTrue();
        assertThat(replay.editableProperty().get()).isFalse();
        assertThat(file.fileFor("../evil name").getParent()).isEqualTo(dir);
    }

    @Test
    void hexAddressesParseWithOrWithoutPrefix() {
        assertThat(BreakpointsViewModel.parseHex("0x100F")).isEqualTo(0x100f);
        assertThat(BreakpointsViewModel.parseHex("100f")).isEqualTo(0x100f);
        assertThat(BreakpointsViewModel.parseHex("ffff_8000_0000_0000")).isEqualTo(0xffff800000000000L);
        assertThat(BreakpointsViewModel.parseHex("1000h")).isEqualTo(0x1000);
        assertThat(BreakpointsViewModel.parseHex("0x")).isNull();
        assertThat(BreakpointsViewModel.parseHex("12345678901234567")).isNull();
        assertThat(BreakpointsViewModel.parseHex("rip")).isNull();
    }

    @Test
    void theConditionsFormSplitsAndJoinsTheInlineSyntax() {
        var f = ConditionsDialog.parse("IO", "port=0x3f8-0x3ff out vcpu=1 hit=3 rip=0x1000");
        assertThat(f.range()).isEqualTo("0x3f8-0x3ff");
        assertThat(f.direction()).isEqualTo("out");
        assertThat(f.vcpu()).isEqualTo("1");
        assertThat(f.hit()).isEqualTo("3");
        assertThat(f.rip()).isEqualTo("0x1000");
        assertThat(f.other()).isEmpty();
        assertThat(ConditionsDialog.compose("IO", f)).isEqualTo("port=0x3f8-0x3ff out vcpu=1 rip=0x1000 hit=3");
        var m = ConditionsDialog.parse("RDMSR", "msr=0x10 sideways");
        assertThat(m.range()).isEqualTo("0x10");
        assertThat(m.other()).isEqualTo("sideways");
        assertThat(ConditionsDialog.compose("RDMSR", m)).isEqualTo("index=0x10 sideways");
        assertThat(ConditionsDialog.compose("HLT", new ConditionsDialog.Fields("", "any", "", "", "", "")))
                .isEmpty();
    }
}
