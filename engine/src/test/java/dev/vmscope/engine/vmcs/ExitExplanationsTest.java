package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Every exit vmscope can show comes with an explanation. */
class ExitExplanationsTest {

    /** Every KVM exit kind plus the variants that map to other VMX reasons (failed entries, #BP). */
    private static List<KvmExit> everyMappableExit() {
        List<KvmExit> out = new ArrayList<>();
        for (KvmExitReason r : KvmExitReason.values()) {
            out.add(Exits.sampleOf(r));
        }
        out.add(new KvmExit.FailEntry(0x80000022L, 0));
        out.add(new KvmExit.FailEntry(0x80000029L, 0));
        out.add(new KvmExit.FailEntry(-1L, 0));
        out.add(new KvmExit.FailEntry(8, 0));
        out.add(new KvmExit.Debug(3, 0, 0, 0));
        out.add(new KvmExit.Exception(14, 2));
        out.add(Exits.simple(KvmExitReason.TPR_ACCESS, 0, 1));
        return out;
    }

    @Test
    void everyKvmExitKindHasAnExplanation() {
        for (KvmExitReason r : KvmExitReason.values()) {
            Explanation e = ExitExplanations.forKvm(r).orElseThrow(() -> new AssertionError("no explanation for " + r));
            check(r.name(), e);
        }
    }

    @Test
    void everyVmxReasonTheMapperProducesHasAnExplanation() {
        Set<Integer> produced = new TreeSet<>();
        for (KvmExit e : everyMappableExit()) {
            ExitInfo x = ExitInfoMapper.map(e, StateBuilder.protected32().build(), null);
            x.vmxReason().ifPresent(produced::add);
            assertThat(ExitExplanations.forExit(x)).as(e.reason().name()).isNotEmpty();
        }
        assertThat(produced).contains(0, 1, 2, 7, 12, 18, 30, 31, 32, 33, 34, 41, 44, 45, 48, 74, 75);
        for (int reason : produced) {
            Explanation e = ExitExplanations.forVmx(reason).orElseThrow(() -> new AssertionError("no explanation for VMX " + reason));
            check("VMX " + reason, e);
            assertThat(e.readMore()).as("VMX " + reason).contains("SDM");
        }
    }

    @Test
    void forExitGivesTheKvmThenTheVmxExplanation() {
        ExitInfo io = ExitInfoMapper.map(Exits.out(0x3F8, 1, 1, 'H'), StateBuilder.protected32().build(), null);
        List<Explanation> ex = ExitExplanations.forExit(io);
        assertThat(ex).hasSize(2);
        assertThat(ex.get(0).title()).isEqualTo("Port I/O");
        assertThat(ex.get(1).title()).isEqualTo("IO_INSTRUCTION");
        ExitInfo internal = ExitInfoMapper.map(new KvmExit.InternalError(1, new long[0]), StateBuilder.protected32().build(), null);
        assertThat(ExitExplanations.forExit(internal)).hasSize(1);
    }

    /** Lecture-slide length: each part one or two short sentences, 2-5 sentences in all. */
    private static void check(String what, Explanation e) {
        for (String part : new String[]{e.title(), e.guestDid(), e.whyExit(), e.hypervisorNext(), e.readMore()}) {
            assertThat(part).as(what).isNotBlank();
        }
        String text = e.text();
        long sentences = text.chars().filter(c -> c == '.').count();
        assertThat(sentences).as(what + ": " + text).isBetween(2L, 6L);
        assertThat(text.length()).as(what).isLessThan(600);
    }
}
