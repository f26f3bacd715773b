package dev.vmscope.app.cli;

import dev.vmscope.engine.trace.ChromeJsonExport;
import dev.vmscope.engine.trace.CsvExport;
import dev.vmscope.engine.io.IoErrors;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.PerfettoExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code vmscope export TRACE --format csv|perfetto|chrome-json}: a recorded run for other tools. Needs no KVM. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a recorded trace: csv (one row per exit), perfetto (Perfetto's protobuf trace: a track"
                + " per vCPU, a slice per exit, the exit rate as a counter; open it at ui.perfetto.dev; binary, so"
                + " --out is required) or chrome-json (the same as Chrome trace-event JSON, three times larger)."
                + " Needs no KVM.")
public final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TRACE", description = "A .vmtrace file.")
    Path trace;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv, perfetto or chrome-json.")
    String format;

    @Option(names = {"--out", "-o"}, paramLabel = "FILE", description = "Write here instead of standard output.")
    Path outFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (!f.equals("csv") && !f.equals("perfetto") && !f.equals("chrome-json")) {
            err.println("vmscope: unknown export format '" + format + "' (csv, perfetto or chrome-json)");
            return VmscopeCommand.EXIT_USAGE;
        }
        if (f.equals("perfetto") && outFile == null) {
            err.println("vmscope: the perfetto format is binary protobuf: give --out FILE (e.g. --out run.perfetto-trace)");
            return VmscopeCommand.EXIT_USAGE;
        }
        LoadedTrace t = StatsCommand.open(trace, err);
        if (t == null) {
            return VmscopeCommand.EXIT_USAGE;
        }
        if (outFile == null) {
            PrintWriter out = spec.commandLine().getOut();
            writeText(f, t, out);
            out.flush();
            return 0;
        }
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(outFile), 1 << 20)) {
            if (f.equals("perfetto")) {
                PerfettoExport.write(t.source(), os);
            } else {
                Writer w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8), 1 << 16);
                writeText(f, t, w);
                w.flush();
            }
        } catch (IOException e) {
            Files.deleteIfExists(outFile);   // no half-written export left behind
            err.println("vmscope: cannot write " + outFile + ": " + IoErrors.cause(e));
            return VmscopeCommand.EXIT_USAGE;
        }
        PrintWriter out = spec.commandLine().getOut();
        long kernel = t.source().kernelEvents().size();
        out.printf(Locale.ROOT, "wrote %,d exits%s to %s (%s, %,d bytes)%n", t.source().size(),
                kernel > 0 ? String.format(Locale.ROOT, " and %,d kernel events", kernel) : "", outFile, f,
                Files.size(outFile));
        out.flush();
        return 0;
    }

    private static void writeText(String format, LoadedTrace t, Writer w) throws IOException {
        if (format.equals("csv")) {
            CsvExport.write(t.source(), w);
        } else {
            ChromeJsonExport.write(t.source(), w);
        }
    }
}
