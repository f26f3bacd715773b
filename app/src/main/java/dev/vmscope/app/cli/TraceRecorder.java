package dev.vmscope.app.cli;

import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --record FILE} for the commands that run a guest: attach before the guest starts, {@link #finish()}
 * once it has ended. With no file it does nothing, so callers need no branches.
 */
final class TraceRecorder implements AutoCloseable {
    private final ExitSource store;
    private TraceWriter writer;

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
    static TraceRecorder attach(ExitSource store, Path file, Opener open) {
        if (file == null) {
            return new TraceRecorder(store, null);
        }
        try {
            return new TraceRecorder(store, open.open(file));
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

    /** Writes the end of the file and closes it; returns a one-line note for the user, or null when not recording. */
    String finish() throws IOException {
        if (writer == null) {
            return null;
        }
        TraceWriter w = writer;
        writer = null;
        w.close();
        long exits = store.size();
        return String.format(Locale.ROOT, "recorded %,d exits to %s (%,d bytes, %.1f bytes per exit)", exits,
                w.file(), w.bytesWritten(), exits == 0 ? 0.0 : (double) w.bytesWritten() / exits);
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
