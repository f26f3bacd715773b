package dev.vmscope.app.cli;

import dev.vmscope.engine.io.IoErrors;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.TraceFormatException;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.engine.trace.TraceStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vmscope stats TRACE}: what a recorded run's exits add up to. Needs no KVM. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Statistics of a recorded trace: exits per reason, vCPU, I/O port, MSR and MMIO page, the"
                + " exit rate over time and the guest time before each exit. Needs no KVM.")
public final class StatsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE", description = "A .vmtrace file (vmscope run GUEST --record FILE).")
    Path trace;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        LoadedTrace t = open(trace, spec.commandLine().getErr());
        if (t == null) {
            return VmscopeCommand.EXIT_USAGE;
        }
        TraceStatistics s = TraceStatistics.of(t.source());
        out.println(json ? s.toJson() : s.toText());
        out.flush();
        return 0;
    }

    /**
     * Opens a trace for a command: null after one clear line on {@code err} when it cannot be read at all;
     * a warning line saying what was lost when it is damaged or cut short. Shows progress on a terminal.
     */
    static LoadedTrace open(Path file, PrintWriter err) {
        if (!Files.exists(file)) {
            err.println("vmscope: no such trace file: " + file);
            return null;
        }
        if (Files.isDirectory(file)) {
            err.println("vmscope: " + file + " is a directory, not a trace file");
            return null;
        }
        boolean terminal = System.console() != null;
        try {
            LoadedTrace t = TraceReader.open(file, fraction -> {
                if (terminal) {
                    err.printf("\ropening %s: %3.0f%%", file.getFileName(), fraction * 100);
                    err.flush();
                }
            });
            if (terminal) {
                err.print("\r\033[K");
            }
            if (!t.report().isClean()) {
                err.println("vmscope: warning: " + file + ": " + t.report().summary());
            }
            err.flush();
            return t;
        } catch (TraceFormatException e) {
            err.println("vmscope: cannot read trace: " + e.getMessage());
        } catch (IOException e) {
            err.println("vmscope: cannot read " + file + ": " + IoErrors.cause(e));
        }
        err.flush();
        return null;
    }
}
