package dev.vmscope.app.cli;

import dev.vmscope.app.ui.LaunchRequest;
import dev.vmscope.app.ui.UiLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code vmscope ui GUEST}: the window on a guest, paused before its first instruction. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Open the window on a guest, paused before its first instruction.")
public final class UiCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guest;

    @Mixin
    GdbOptions gdb;

    @Override
    public Integer call() {
        return UiLauncher.launch(LaunchRequest.guest(guest.config()).withGdb(gdb.forWindow()));
    }
}
