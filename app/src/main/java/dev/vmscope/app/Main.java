package dev.vmscope.app;

import dev.vmscope.app.cli.VmscopeCommand;

/** The one entry point: the command line, and (with no arguments) the window. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(VmscopeCommand.execute(args));
    }
}
