package dev.vmscope.app.ui.record;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.app.ui.session.LiveSession;
import dev.vmscope.app.ui.session.UiSession;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Record toggle's model: records the live guest to a {@code .vmtrace} file with the engine's trace
 * writer. A trace holds a run from its first exit, so recording starts at once only while the guest has not
 * exited yet; later, it restarts the guest recording ({@link #restartAndRecord}). Stopping closes the file
 * (pausing a running guest first, so the trace ends on a whole exit). Replays cannot record.
 */
public final class RecordViewModel {
    /** What {@link #start} did. */
    public enum Start {
        /** Recording from the first exit on. */
        STARTED,
        /** The guest has exited already: recording needs a restart (ask the user, then restartAndRecord). */
        NEEDS_RESTART,
        /** No live guest, or already recording. */
        UNAVAILABLE
    }

    private final StringProperty banner;
    private final Consumer<Path> restartRecording;
    private final ReadOnlyBooleanWrapper recording = new ReadOnlyBooleanWrapper(this, "recording");
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private LiveSession session;
    private Path file;
    private long shownBytes = -1;
    private long shownAt;
    private boolean failureShown;

    /**
     * Follows {@code session}; problems go to {@code banner}; {@code restartRecording} runs the same guest again
     * from its start, recording to the file given (the window's restart).
     */
    public RecordViewModel(ObservableValue<UiSession> session, StringProperty banner,
                           Consumer<Path> restartRecording) {
        this.banner = banner;
        this.restartRecording = restartRecording;
        session.addListener((o, a, b) -> sessionChanged(a, b));
        sessionChanged(null, session.getValue());
    }

    /** True while the live guest is being recorded. */
    public ReadOnlyBooleanProperty recordingProperty() {
        return recording.getReadOnlyProperty();
    }

    /** True while a live guest is open (replays cannot record). */
    public ReadOnlyBooleanProperty availableProperty() {
        return available.getReadOnlyProperty();
    }

    /** For the status bar: what is being recorded, or what the last recording wrote. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    private void sessionChanged(UiSession old, UiSession now) {
        if (old instanceof LiveSession o && o.isRecording()) {
            status.set("recording of " + o.recordingFile().getFileName() + " closed with the guest");
        }
        session = now instanceof LiveSession ls ? ls : null;
        available.set(session != null);
        shownBytes = -1;
        poll();
        if (session != null && session.recordError() != null) {
            banner.set("Not recording: " + session.recordError());
            status.set("");
        }
    }

    /** Starts recording to {@code f}; see {@link Start}. FX thread. */
    public Start start(Path f) {
        LiveSession s = session;
        if (s == null || s.isRecording()) {
            return Start.UNAVAILABLE;
        }
        if (s.source().size() != 0 || s.state() == UiSession.State.FINISHED) {
            return Start.NEEDS_RESTART;
        }
        file = f;
        status.set("starting to record to " + f.getFileName() + "…");
        s.startRecording(f).whenComplete((x, err) -> FxThread.run(() -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                banner.set("Not recording: " + c.getMessage());
                status.set("");
            }
            poll();
        }));
        return Start.STARTED;
    }

    /** Runs the same guest again from its first instruction, recording to {@code f} from its first exit. */
    public void restartAndRecord(Path f) {
        file = f;
        status.set("restarting to record to " + f.getFileName() + "…");
        restartRecording.accept(f);
    }

    /** Stops recording and closes the file; the status bar then says what was written. FX thread. */
    public void stop() {
        LiveSession s = session;
        if (s == null || !s.isRecording()) {
            return;
        }
        status.set("closing " + s.recordingFile().getFileName() + "…");
        s.stopRecording().whenComplete((note, err) -> FxThread.run(() -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                banner.set("Recording failed: " + c.getMessage());
                status.set("");
            } else if (note != null) {
                status.set(note);
            }
            poll();
        }));
    }

    /** Once per frame: the recording state and, twice a second, how much is written (volatile reads). */
    public void poll() {
        LiveSession s = session;
        boolean on = s != null && s.isRecording();
        if (on != recording.get()) {
            recording.set(on);
        }
        if (!on) {
            return;
        }
        if (s.recordingFailed()) {
            if (!failureShown) {   // once: the guest runs on, the file keeps what was written
                failureShown = true;
                banner.set("Recording stopped: " + s.recordingFailure() + "; the guest runs on, unrecorded");
                status.set("recording stopped: " + s.recordingFile().getFileName());
            }
            return;
        }
        failureShown = false;
        long now = System.nanoTime();
        long bytes = s.recordedBytes();
        if (bytes != shownBytes && now - shownAt > 500_000_000L || shownBytes < 0) {
            shownBytes = bytes;
            shownAt = now;
            status.set(String.format(Locale.ROOT, "● REC %s · %,d exits · %s", s.recordingFile().getFileName(),
                    s.source().size(), size(bytes)));
        }
    }

    private static String size(long bytes) {
        if (bytes < 10_000) {
            return bytes + " B";
        }
        if (bytes < 10_000_000) {
            return String.format(Locale.ROOT, "%,d KB", bytes / 1000);
        }
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }

    /** The file last asked for (the chooser starts there). */
    public Path lastFile() {
        return file;
    }
}
