package dev.vmscope.app.cli;

import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.Quantities;
import dev.vmscope.engine.machine.boot.BootProtocol;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.RunSummary;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.trace.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vmscope run GUEST}: run a guest to its end, print its serial output and a summary of its exits. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a guest on KVM, print its serial output and a summary of every exit.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guest;

    @Option(names = "--trace-exits", description = "Print one line per exit: seq, vCPU, reason, payload, RIP.")
    boolean traceExits;

    @Option(names = "--json", description = "End with the summary as one JSON object on the last line.")
    boolean json;

    @Option(names = "--record", paramLabel = "FILE", description = "Record every exit, the serial output and the"
            + " outcome to a .vmtrace file as the run goes.")
    Path record;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Stop the guest after this long (a guest that"
            + " spins without exits never reaches --max-exits).")
    String timeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Double seconds = timeout == null ? null
                : Quantities.seconds(timeout, "--timeout", 0.001, Quantities.MAX_SECONDS);
        MachineConfig config = guest.config();
        try (Machine m = Machine.create(config); TraceRecorder rec = TraceRecorder.attach(m.store(), record,
                     f -> TraceWriter.record(m.store(), f), spec.commandLine().getErr());
             Signals signals = Signals.onTermination(name -> m.stop("stopped by " + name))) {
            if (config.boot() != BootProtocol.FLAT) {
                out.println("vmscope: loaded with the " + config.boot().description + ": " + m.bootPlan().summary());
                out.println("vmscope: machine: " + m.hardwareSummary());
            }
            StoreNotices.printTo(m.store(), spec.commandLine().getErr());
            m.addConsoleSink(text -> {
                out.print(text);
                out.flush();
            });
            KernelEventLines.warnIfOff(config.kernelEvents() != null, m.kernelEvents(), spec.commandLine().getErr());
            TraceExitsPrinter printer = null;
            if (traceExits && m.kernelEvents().capture().on()) {
                printer = TraceExitsPrinter.start(m, out);
            } else if (traceExits) {
                SymbolTable symbols = config.symbols();
                m.addHook(e -> {
                    out.println(exitLine(e.seq, e.vcpu, e.reason().name(), e.decodeExit().detail(), e.rip(),
                            symbols.suffix(GuestState.codeLinearAddress(e.state))));
                    return false;
                });
            }
            long t0 = System.nanoTime();
            m.start();
            Outcome o = seconds == null ? m.awaitOutcome()
                    : m.awaitOutcome((long) Math.ceil(seconds * 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (o == null) {
                m.stop(String.format("timeout after %s s (--timeout)", timeout.trim()));
                o = m.awaitOutcome();
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            if (printer != null) {
                printer.finish();
            }
            RunSummary s = RunSummary.of(m.store(), elapsed);
            String recorded = rec.finish();   // every vCPU has sealed its last chunk by now
            out.println();
            if (recorded != null) {
                out.println(recorded);
            }
            if (json) {
                out.println(s.toJson());
            } else {
                out.println(s.toText());
            }
            out.flush();
            return rec.failed() ? 2 : signals.exitCode(o.exitCode());
        }
    }

    /** One {@code --trace-exits} line; {@code symbol} is {@link SymbolTable#suffix}'s. */
    static String exitLine(long seq, int vcpu, String reason, String detail, long rip, String symbol) {
        return String.format("#%d vcpu%d %-14s %-40s rip=0x%x%s", seq, vcpu, reason, detail, rip, symbol);
    }
}
