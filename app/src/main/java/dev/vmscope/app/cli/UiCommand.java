package dev.vmscope.app.cli;

import dev.vmscope.app.ui.LaunchRequest;
import dev.vmscope.app.ui.UiLauncher;
import dev.vmscope.engine.trace.TraceReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code vmscope ui GUEST}: the window on a guest, paused before its first instruction. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Open the window on a guest, paused before its first instruction (--screenshot: write a PNG of it and exit).")
public final class UiCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guest;

    @Mixin
    GdbOptions gdb;

    @Mixin
    WindowArgs window;

    @Override
    public Integer call() {
        if (TraceReader.looksLikeTrace(guest.guest)) {   // a trace opens as a trace, never runs as a guest
            return UiLauncher.launch(LaunchRequest.trace(guest.guest).withWindow(window.options()));
        }
        LaunchRequest r = LaunchRequest.guest(guest.config()).withGdb(gdb.forWindow()).withWindow(window.options());
        if (dev.vmscope.engine.machine.GuestSpec.isSampleDir(guest.guest)
                && guest.guest.toAbsolutePath().getParent() != null) {
            r = r.withSamplesDir(guest.guest.toAbsolutePath().getParent());   // its walkthrough and siblings
        }
        return UiLauncher.launch(r);
    }
}
