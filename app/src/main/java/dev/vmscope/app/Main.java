package dev.vmscope.app;

/** The one entry point: the command line, and (with no arguments) the window. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(0);
    }
}
