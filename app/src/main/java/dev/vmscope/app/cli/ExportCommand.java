package dev.vmscope.app.cli;

import dev.vmscope.engine.trace.CsvExport;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.PerfettoExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vmscope export TRACE --format csv|perfetto}: a recorded run for other tools. Needs no KVM. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a recorded trace: csv (one row per exit) or perfetto (Chrome trace-event JSON with"
                + " one track per vCPU and one slice per exit; open it at ui.perfetto.dev). Needs no KVM.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE", description = "A .vmtrace file.")
    Path trace;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv or perfetto.")
    String format;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path outFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("perfetto")) {
            err.println("vmscope: unknown export format '" + format + "' (csv or perfetto)");
            return VmscopeCommand.EXIT_USAGE;
        }
        LoadedTrace t = StatsCommand.open(trace, err);
        if (t == null) {
            return VmscopeCommand.EXIT_USAGE;
        }
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            write(f, t, out);
            out.flush();
            return 0;
        }
        long n;
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8), 1 << 20)) {
            n = write(f, t, w);
        } catch (IOException e) {
            Files.deleteIfExists(outFile);   // no half-written export left behind
            err.println("vmscope: cannot write " + outFile + ": " + e.getMessage());
            return VmscopeCommand.EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "wrote %,d exits to %s (%s, %,d bytes)%n", n, outFile, f, Files.size(outFile));
        out.flush();
        return 0;
    }

    private static long write(String format, LoadedTrace t, Writer w) throws IOException {
        return format.equals("csv") ? CsvExport.write(t.source(), w) : PerfettoExport.write(t.source(), w);
    }
}
