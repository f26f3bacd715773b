package dev.vmscope.app.ui.walkthrough;

import dev.vmscope.app.ui.ExitSelection;
import dev.vmscope.app.ui.main.Samples;
import dev.vmscope.app.ui.session.ReplaySession;
import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.walkthrough.Walkthrough;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Step navigation without the toolkit: a fake runner stands in for the live session's control thread. */
class WalkthroughViewModelTest {
    private static final Walkthrough W = Walkthrough.parse(String.join("\n",
            "walkthrough: demo",
            "step: Start", "at: start", "Nothing ran yet.",
            "step: First OUT", "at: IO port=0x3f8 out", "The first byte.", "", "Second paragraph.",
            "step: The end", "at: end", "It halts."), Path.of("demo.txt"));

    private final ExitStore store = SyntheticExits.fill(40, 1, 1_000, 1);
    private final ExitSelection selection = new ExitSelection();

    /** Answers each play with a future the test completes; counts exits like a growing run. */
    private class FakeRunner implements WalkthroughViewModel.Runner {
        final Deque<CompletableFuture<SessionState>> pending = new ArrayDeque<>();
        final List<Walkthrough.Step> played = new ArrayList<>();
        long exits = 40;
        int relaunches;

        @Override
        public CompletableFuture<SessionState> play(Walkthrough.Step step) {
            played.add(step);
            CompletableFuture<SessionState> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        @Override
        public long exitCount() {
            return exits;
        }

        @Override
        public void relaunch() {
            relaunches++;
        }
    }

    private WalkthroughViewModel model() {
        selection.setColumns(store.columns());
        return new WalkthroughViewModel(selection, Runnable::run);
    }

    private static SessionState atBreakpoint(long seq, String spec) {
        return new SessionState(SessionState.Mode.PAUSED, 0, seq, SessionState.StopReason.BREAKPOINT,
                new BreakpointHit(seq, 7, "exit " + spec), null);
    }

    @Test
    void aReplayStepsThroughTheTextsAndRunsNothing() {
        WalkthroughViewModel m = model();
        selection.select(3);
        m.open(W, null);
        assertThat(m.index()).isEqualTo(-1);
        assertThat(m.titleProperty().get()).isEqualTo("demo");
        assertThat(m.positionProperty().get()).isEqualTo("3 steps");
        assertThat(m.noteProperty().get()).isEqualTo(WalkthroughViewModel.REPLAY_NOTE);
        assertThat(m.liveProperty().get()).isFalse();
        m.next();
        m.next();
        assertThat(m.index()).isEqualTo(1);
        assertThat(m.positionProperty().get()).isEqualTo("Step 2 of 3");
        assertThat(m.stepTitleProperty().get()).isEqualTo("First OUT");
        assertThat(m.stepTextProperty().get()).isEqualTo("The first byte.\n\nSecond paragraph.");
        assertThat(m.noteProperty().get()).contains("needs KVM");
        assertThat(m.busyProperty().get()).isFalse();
        m.next();
        assertThat(m.stepTitleProperty().get()).isEqualTo("The end");
        assertThat(m.canNextProperty().get()).isFalse();
        m.next();   // past the end: nothing happens
        assertThat(m.index()).isEqualTo(2);
        assertThat(selection.seq()).isEqualTo(3);   // browsing the texts never moves the selection
        m.restart();
        assertThat(m.index()).isEqualTo(-1);
        assertThat(m.canNextProperty().get()).isTrue();
    }

    @Test
    void aLiveStepRunsThenSelectsWhereTheGuestStopped() {
        WalkthroughViewModel m = model();
        FakeRunner r = new FakeRunner();
        m.open(W, r);
        assertThat(m.liveProperty().get()).isTrue();
        assertThat(m.noteProperty().get()).isEmpty();

        m.next();   // start: nothing selected
        assertThat(m.busyProperty().get()).isTrue();
        assertThat(m.canNextProperty().get()).isFalse();
        m.next();   // ignored while busy
        assertThat(r.played).hasSize(1);
        r.pending.poll().complete(new SessionState(SessionState.Mode.PAUSED, -1, -1, SessionState.StopReason.START,
                null, null));
        assertThat(m.busyProperty().get()).isFalse();
        assertThat(m.noteProperty().get()).isEqualTo("Paused before the first instruction.");
        assertThat(selection.isEmpty()).isTrue();

        m.next();   // the breakpoint step: text at once, selection when the guest stops
        assertThat(m.stepTitleProperty().get()).isEqualTo("First OUT");
        assertThat(m.noteProperty().get()).isEqualTo("Running the guest to IO port=0x3f8 out…");
        assertThat(r.played.get(1).breakpointSpec()).isEqualTo("IO port=0x3f8 out");
        r.exits = 12;   // the run does not show the stopped exit yet: the selection waits for it
        r.pending.poll().complete(atBreakpoint(12, "IO port=0x3f8 out"));
        assertThat(m.noteProperty().get()).isEqualTo("Stopped at exit #12 on vCPU 0 (IO port=0x3f8 out).");
        assertThat(m.missedProperty().get()).isFalse();
        assertThat(selection.isEmpty()).isTrue();
        r.exits = 13;
        m.poll();
        assertThat(selection.seq()).isEqualTo(12);

        m.next();   // end, but something else stopped the guest first: said so, and that exit is selected
        r.pending.poll().complete(atBreakpoint(20, "HLT"));
        assertThat(m.missedProperty().get()).isTrue();
        assertThat(m.noteProperty().get()).startsWith("Not reached: the guest is paused at exit #20 on vCPU 0");
        r.exits = 40;
        m.poll();
        assertThat(selection.seq()).isEqualTo(20);
        assertThat(m.canNextProperty().get()).isFalse();

        // restart relaunches the guest; a late answer for the old run changes nothing
        m.restart();
        assertThat(r.relaunches).isEqualTo(1);
        assertThat(m.index()).isEqualTo(-1);
    }

    @Test
    void theLastStepSelectsTheFinalExitAndALateResultIsDropped() {
        WalkthroughViewModel m = model();
        FakeRunner r = new FakeRunner();
        m.open(W, r);
        m.next();
        r.pending.poll().complete(new SessionState(SessionState.Mode.PAUSED, -1, -1, SessionState.StopReason.START,
                null, null));
        m.next();
        CompletableFuture<SessionState> late = r.pending.poll();
        m.open(W, r);   // a new run opened while the step was running
        late.complete(atBreakpoint(5, "IO port=0x3f8 out"));
        assertThat(m.index()).isEqualTo(-1);
        assertThat(m.busyProperty().get()).isFalse();
        assertThat(selection.isEmpty()).isTrue();

        m.next();
        r.pending.poll().complete(new SessionState(SessionState.Mode.PAUSED, -1, -1, SessionState.StopReason.START,
                null, null));
        m.next();
        r.pending.poll().complete(atBreakpoint(5, "IO port=0x3f8 out"));
        m.next();
        r.pending.poll().complete(new SessionState(SessionState.Mode.FINISHED, 0, -1, SessionState.StopReason.FINISHED,
                null, new Outcome(Outcome.Kind.HALTED, 0, 39, "done")));
        assertThat(m.noteProperty().get()).startsWith("The run is over: ");
        assertThat(selection.seq()).isEqualTo(39);
        assertThat(m.canNextProperty().get()).isFalse();
        assertThat(m.canRestartProperty().get()).isTrue();
    }

    @Test
    void aRunnerFailureIsShownAndNoWalkthroughSaysWhereTheyComeFrom() {
        WalkthroughViewModel m = model();
        m.open(W, new FakeRunner() {
            @Override
            public CompletableFuture<SessionState> play(Walkthrough.Step step) {
                return CompletableFuture.failedFuture(new IllegalStateException("KVM went away"));
            }
        });
        m.next();
        assertThat(m.noteProperty().get()).isEqualTo("The step could not run: KVM went away");
        assertThat(m.missedProperty().get()).isTrue();
        assertThat(m.canNextProperty().get()).isTrue();
        m.open(null, null);
        assertThat(m.titleProperty().get()).isEqualTo("No walkthrough");
        assertThat(m.stepTextProperty().get()).contains("walkthrough.txt");
        assertThat(m.canNextProperty().get()).isFalse();
        assertThat(m.canRestartProperty().get()).isFalse();
    }

    @Test
    void aSessionNamesItsSample() {
        Path samples = Samples.directory();
        ReplaySession trace = new ReplaySession(store, "hello.vmtrace");
        assertThat(WalkthroughViewModel.sampleDirOf(trace, null, List.of(), samples))
                .contains(samples.resolve("hello"));
        assertThat(WalkthroughViewModel.sampleDirOf(trace, "msr", List.of(Path.of("/x/msr")), samples))
                .contains(Path.of("/x/msr"));
        assertThat(WalkthroughViewModel.sampleDirOf(new ReplaySession(store, "run.vmtrace"), null, List.of(), samples))
                .isEmpty();
        assertThat(WalkthroughViewModel.sampleDirOf(null, null, List.of(), samples)).isEmpty();
        assertThat(Walkthrough.load(samples.resolve("hello")).orElseThrow().steps()).hasSize(4);
    }
}
