package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled walkthroughs played on their bundled traces: each step stops where the live run stops. */
class ReplayStopsTest {
    private static List<ReplayStops.Stop> play(String sample) throws Exception {
        Path dir = KvmTests.sample(sample);
        Walkthrough w = Walkthrough.load(dir).orElseThrow();
        ExitSource src = TraceReader.open(dir.resolve(sample + ".vmtrace")).source();
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

    @Test
    void hardwareBreakpointStepsShowTheNextExitAndDoNotConsumeIt() throws Exception {
        // start ; exec 0x105d ; exec 0x1062 ; IO port=0x3f8 out ; end — the trace was recorded without breakpoints
        Path dir = KvmTests.sample("longmode");
        ExitSource src = TraceReader.open(dir.resolve("longmode.vmtrace")).source();
        List<ReplayStops.Stop> stops = play("longmode");
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
