package dev.vmscope.app;

import dev.vmscope.app.cli.VmscopeCommand;
import dev.vmscope.app.ui.UiLauncher;

/** The one entry point: the command line, and (with no arguments) the window. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 0) {   // no command: the window, on the default sample paused at its first instruction
            System.exit(UiLauncher.launch(UiLauncher.defaultRequest()));
        }
        System.exit(VmscopeCommand.execute(args));
    }
}
