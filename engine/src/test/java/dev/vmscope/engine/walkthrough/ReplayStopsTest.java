package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled walkthroughs played on their bundled traces: each step stops where the live run stops. */
class ReplayStopsTest {
    private static List<ReplayStops.Stop> play(String sample) throws Exception {
        Path dir = KvmTests.sample(sample);
        return play(Walkthrough.load(dir).orElseThrow(), TraceReader.open(dir.resolve(sample + ".vmtrace")).source());
    }

    /** Each step of {@code w} in turn on {@code src}, counting on from the previous stop as the window does. */
    private static List<ReplayStops.Stop> play(Walkthrough w, ExitSource src) {
        List<ReplayStops.Stop> out = new ArrayList<>();
        long after = -1;
        for (Walkthrough.Step s : w.steps()) {
            ReplayStops.Stop stop = ReplayStops.of(s, src, after);
            out.add(stop);
            after = stop.countFrom();
        }
        return out;
    }

    @Test
    void helloStopsAtItsFirstOutItsTwentySecondAndItsHlt() throws Exception {
        // start ; IO port=0x3f8 out ; IO port=0x3f8 out hit=21 ; end
        assertThat(play("hello")).extracting(ReplayStops.Stop::seq).containsExactly(-1L, 0L, 21L, 22L);
    }

    /**
     * The bundled traces are recorded while playing their walkthroughs (samples/record-traces.sh), so every
     * breakpoint step of every sample, #DB and trapped-MSR steps included, stops at an exit its breakpoint
     * matches, with no "not in the trace" fallback.
     */
    @TestFactory
    Stream<DynamicTest> everyBreakpointStepOfEveryBundledTraceStopsAtAnExitItsBreakpointMatches() throws Exception {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(KvmTests.samples())) {
            s.filter(d -> Files.isRegularFile(d.resolve(Walkthrough.FILE_NAME))).sorted().forEach(dirs::add);
        }
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(12);
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> {
            String name = d.getFileName().toString();
            Walkthrough w = Walkthrough.load(d).orElseThrow();
            ExitSource src = TraceReader.open(d.resolve(name + ".vmtrace")).source();
            List<ReplayStops.Stop> stops = play(name);
            for (int i = 0; i < stops.size(); i++) {
                Walkthrough.Step step = w.steps().get(i);
                if (step.kind() != Walkthrough.Kind.BREAK) {
                    continue;
                }
                ReplayStops.Stop stop = stops.get(i);
                assertThat(stop.note()).as("%s step %d", name, i + 1).startsWith("Stopped at exit #" + stop.seq());
                assertThat(ExitBreakpoint.parse(0, step.breakpointSpec()).matches(src.get(stop.seq())))
                        .as("%s step %d: exit #%d matches %s", name, i + 1, stop.seq(), step.breakpointSpec()).isTrue();
                if (step.codeAddress().isPresent()) {
                    assertThat(src.get(stop.seq()).exit()).isInstanceOfSatisfying(KvmExit.Debug.class,
                            x -> assertThat(x.pc()).isEqualTo(step.codeAddress().getAsLong()));
                }
            }
        }));
    }

    @Test
    void aTraceWithoutTheHardwareBreakpointsShowsTheNextExitAndDoesNotConsumeIt() {
        // start ; exec 0x105d ; exec 0x1062 ; IO port=0x3f8 out ; end — on a run made without any breakpoint
        KvmTests.requireKvm();
        ExitSource src = GuestRun.sample("longmode").store();
        List<ReplayStops.Stop> stops = play(Walkthrough.load(KvmTests.sample("longmode")).orElseThrow(), src);
        assertThat(stops.get(1).note()).contains("no #DB exit at 0x105d").contains("at exit #0");
        assertThat(stops.get(1).seq()).isZero();
        assertThat(stops.get(2).seq()).isZero();
        long io = stops.get(3).seq();
        assertThat(src.get(io).exit()).isInstanceOfSatisfying(KvmExit.Io.class, x -> {
            assertThat(x.port()).isEqualTo(0x3F8);
            assertThat(x.out()).isTrue();
        });
        for (long s = 0; s < io; s++) {   // the first such OUT: no earlier one was skipped
            assertThat(src.get(s).exit() instanceof KvmExit.Io x && x.port() == 0x3F8 && x.out()).isFalse();
        }
        assertThat(stops.get(4).seq()).isEqualTo(src.size() - 1);
    }
}
