package dev.vmscope.app.cli;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.gdb.GdbServer;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.walkthrough.Walkthrough;
import dev.vmscope.engine.walkthrough.WalkthroughPlayer;
import dev.vmscope.engine.sys.ProcessSignals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

/** {@code vmscope debug GUEST}: the guest, stopped before its first instruction, under a gdb-like console. */
@Command(name = "debug", mixinStandardHelpOptions = true,
        description = "Debug a guest from a text console (commands from a terminal or stdin; 'help' lists them).")
public final class DebugCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guest;

    @Option(names = "--record", paramLabel = "FILE", description = "Record every exit, the serial output and the"
            + " breakpoint hits to a .vmtrace file as the session goes.")
    Path record;

    @Option(names = "--walkthrough", description = "Play the sample's walkthrough instead of reading commands: run"
            + " to each step's stop (its exit breakpoint, hardware breakpoint or pause, with the walkthrough's options"
            + " such as trap-msrs), print where it stopped, and end after the last step. With --record the trace"
            + " holds every step's exit, so a replay of it stops exactly where the live tour does.")
    boolean walkthrough;

    /** With --gdb, the end of stdin leaves gdb in charge: the session ends when gdb detaches. */
    @Mixin
    GdbOptions gdb;

    @Spec
    CommandSpec spec;

    @Override
    @SuppressWarnings("restriction")
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Walkthrough tour = walkthrough ? tour() : null;
        MachineConfig config = tour == null ? guest.config() : tour.configure(guest.config().toBuilder()).build();
        try (DebugSession s = DebugSession.launch(config);
             TraceRecorder rec = TraceRecorder.attach(s.exits(), record, s::record, spec.commandLine().getErr())) {
            KernelEventLines.warnIfOff(guest.config().kernelEvents() != null, s.exits().kernelEvents(),
                    spec.commandLine().getErr());
            StoreNotices.printTo(s.exits(), spec.commandLine().getErr());
            s.addConsoleSink(text -> {
                for (String line : text.split("(?<=\n)")) {
                    out.print("serial: " + line + (line.endsWith("\n") ? "" : "\n"));
                }
                out.flush();
            });
            if (tour != null) {
                return play(tour, s, rec, out);
            }
            boolean interactive = System.console() != null;
            if (interactive) {
                ProcessSignals.handle("INT", sig -> {   // Ctrl-C pauses a running guest, like gdb
                    if (s.state().mode() == SessionState.Mode.RUNNING) {
                        s.pause();
                    }
                });
            }
            DebugConsole console = new DebugConsole(s, out, interactive);
            GdbServer server = gdb.start(s, line -> {
                out.println(line);
                out.flush();
            });
            try {
                boolean quit = console.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
                if (server != null && !quit) {
                    server.awaitConnectionsEnded(1, Long.MAX_VALUE);   // stdin ended: gdb drives from here
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
            return end(s, rec, out);
        }
    }

    /** The guest's walkthrough; a guest that is no sample with one is a usage error. */
    private Walkthrough tour() {
        if (gdb.gdb != null) {
            throw new IllegalArgumentException("--walkthrough plays the tour on its own: leave out --gdb");
        }
        return Walkthrough.load(guest.guest).orElseThrow(() -> new IllegalArgumentException("--walkthrough needs a sample directory with a "
                        + Walkthrough.FILE_NAME + ": " + guest.guest));
    }

    /** Runs to each step's stop, as the window's walkthrough does, saying where each stopped; then ends. */
    private static int play(Walkthrough tour, DebugSession s, TraceRecorder rec, PrintWriter out)
            throws InterruptedException, java.io.IOException {
        List<Walkthrough.Step> steps = tour.steps();
        for (int i = 0; i < steps.size(); i++) {
            Walkthrough.Step step = steps.get(i);
            SessionState st = WalkthroughPlayer.play(s, step);
            out.printf("step %d/%d '%s' (at: %s): %s%s%n", i + 1, steps.size(), step.title(), step.target(),
                    st.describe(), step.reached(st) ? "" : " — not where the step says");
            out.flush();
        }
        return end(s, rec, out);
    }

    /** Stops what still runs, finishes the trace and returns the exit code: the guest's own once it finished. */
    private static int end(DebugSession s, TraceRecorder rec, PrintWriter out)
            throws InterruptedException, java.io.IOException {
        SessionState st = s.state();
        s.stop();
        s.awaitOutcome(5, TimeUnit.SECONDS);   // the vCPUs seal their last chunks
        String recorded = rec.finish();
        if (recorded != null) {
            out.println(recorded);
        }
        if (rec.failed()) {
            return 2;   // the trace asked for is incomplete
        }
        return st.mode() == SessionState.Mode.FINISHED ? st.outcome().exitCode() : 0;
    }
}
