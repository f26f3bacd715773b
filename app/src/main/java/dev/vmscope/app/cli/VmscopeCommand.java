package dev.vmscope.app.cli;

import dev.vmscope.engine.kvm.KvmException;
import dev.vmscope.engine.config.GuestConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The top-level {@code vmscope} command and its error handling: one clear line, exit code 2. */
@Command(name = "vmscope", mixinStandardHelpOptions = true, version = "vmscope 0.1.0",
        description = "A visual debugger for KVM virtual machines: every VM exit, why it happened, and a"
                + " VMCS-shaped snapshot of the guest at that moment.",
        subcommands = {RunCommand.class, DebugCommand.class, VmcsCommand.class, StatsCommand.class, UiCommand.class,
                OpenCommand.class,
                ExportCommand.class})
public final class VmscopeCommand implements Runnable {
    public static final int EXIT_USAGE = 2;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "name a command (try vmscope --help)");
    }

    /** Runs the command line; returns the process exit code. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new VmscopeCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("vmscope: " + ex.getMessage() + " (try vmscope "
                    + (ex.getCommandLine().getCommandName().equals("vmscope") ? "" : ex.getCommandLine().getCommandName()
                    + " ") + "--help)");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("vmscope: " + describe(ex));
            return EXIT_USAGE;
        });
        return cl.execute(args);
    }

    /** What to tell the user about a failure: the message, never a stack trace. */
    static String describe(Exception ex) {
        if (ex instanceof GuestConfigException || ex instanceof KvmException
                || ex instanceof IllegalArgumentException) {
            return ex.getMessage();
        }
        if (ex instanceof java.io.IOException) {
            return "I/O error: " + ex.getMessage();
        }
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
    }
}
