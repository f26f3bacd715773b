package dev.vmscope.app.ui.session;

import dev.vmscope.engine.debug.GuestCode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.trace.ExitSource;

import java.util.concurrent.CompletableFuture;

/** A recorded run (a trace file, or a finished store): browse only. */
public final class ReplaySession implements UiSession {
    private final ExitSource source;
    private final String label;
    /** How much of the console was given: a trace still being read gains more. */
    private int consoleGiven;

    public ReplaySession(ExitSource source, String label) {
        this.source = source;
        this.label = label;
    }

    @Override
    public ExitSource source() {
        return source;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public boolean isLive() {
        return false;
    }

    @Override
    public State state() {
        return State.REPLAY;
    }

    @Override
    public String drainConsole() {
        String c = source.console();
        if (c == null || c.length() <= consoleGiven) {
            return "";
        }
        String more = c.substring(consoleGiven);
        consoleGiven = c.length();
        return more;
    }

    /** From the code pages the trace kept (none in traces older than format 1.1: then null). */
    @Override
    public CompletableFuture<byte[]> instructionBytes(ExitRecord r) {
        return CompletableFuture.completedFuture(GuestCode.recorded(source).instructionBytes(r));
    }

    @Override
    public void setOnChange(Runnable r) {
    }

    @Override
    public void close() {
    }
}
