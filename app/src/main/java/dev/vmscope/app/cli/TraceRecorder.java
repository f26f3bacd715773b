package dev.vmscope.app.cli;

import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --record FILE} for the commands that run a guest: attach before the guest starts, {@link #finish()}
 * once it has ended. With no file it does nothing, so callers need no branches.
 *
 * <p>A write that fails (a full disk) stops the recording at once with one line on stderr; the guest runs on
 * unrecorded, {@link #finish()} returns that line again for the end of the output, and {@link #failed()} makes
 * the command's exit code 2 (an environment error), since the file the user asked for is incomplete.
 */
final class TraceRecorder implements AutoCloseable {
    private final ExitSource store;
    private TraceWriter writer;
    private boolean failed;

    /** Starts a trace writer on a run that has not started yet: {@code DebugSession::record} or the like. */
    @FunctionalInterface
    interface Opener {
        TraceWriter open(Path file) throws IOException;
    }

    private TraceRecorder(ExitSource store, TraceWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    /**
     * Starts recording to {@code file} with {@code open}, or nothing when {@code file} is null; {@code store} is
     * what is recorded (for the closing note). A file that cannot
     * be created is an IllegalArgumentException with one clear line (the command's usual error path).
     */
    static TraceRecorder attach(ExitSource store, Path file, Opener open, PrintWriter err) {
        if (file == null) {
            return new TraceRecorder(store, null);
        }
        try {
            TraceWriter w = open.open(file);
            w.onFailure(e -> {
                err.println("vmscope: " + w.failureMessage() + "; the guest runs on, unrecorded");
                err.flush();
            });
            return new TraceRecorder(store, w);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot record to " + file + ": its directory does not exist");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot record to " + file + ": permission denied");
        } catch (FileSystemException e) {
            throw new IllegalArgumentException("cannot record to " + file + ": "
                    + (e.getReason() != null ? e.getReason() : e.getMessage()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot record to " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes the end of the file and closes it; returns a one-line note for the user (what was recorded, or
     * why the recording stopped), or null when not recording.
     */
    String finish() throws IOException {
        if (writer == null) {
            return null;
        }
        TraceWriter w = writer;
        writer = null;
        try {
            w.close();
        } catch (IOException e) {
            if (w.failure() == null) {
                throw e;
            }
        }
        if (w.failure() != null) {
            failed = true;
            return w.failureMessage();
        }
        long exits = store.size();
        return String.format(Locale.ROOT, "recorded %,d exits to %s (%,d bytes, %.1f bytes per exit)", exits,
                w.file(), w.bytesWritten(), exits == 0 ? 0.0 : (double) w.bytesWritten() / exits);
    }

    /** True once {@link #finish()} found that the recording had stopped on a write error. */
    boolean failed() {
        return failed;
    }

    /** Closes the file if {@link #finish()} was not reached (an error path); errors then are secondary. */
    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // the primary failure is already on its way to the user
            }
            writer = null;
        }
    }
}
