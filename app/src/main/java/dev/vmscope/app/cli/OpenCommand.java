package dev.vmscope.app.cli;

import dev.vmscope.app.ui.LaunchRequest;
import dev.vmscope.app.ui.UiLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vmscope open FILE.vmtrace}: a recorded trace in the window (no KVM needed). */
@Command(name = "open", mixinStandardHelpOptions = true, description = "Open a recorded .vmtrace in the window.")
public final class OpenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A .vmtrace file.")
    Path file;

    /** gdb travels through the trace: stepi, reverse-stepi, continue, reverse-continue. */
    @Mixin
    GdbOptions gdb;

    @Mixin
    WindowArgs window;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such trace file: " + file);
        }
        return UiLauncher.launch(LaunchRequest.trace(file).withGdb(gdb.forWindow()).withWindow(window.options()));
    }
}
