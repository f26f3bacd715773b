package dev.vmscope.app.ui.session;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.debug.VcpuStatus;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.StoreListener;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A guest on KVM under the engine's {@link DebugSession}, stopped before its first instruction. Every
 * command runs on the control thread ({@link FxThread#control}), pause on its own thread as well; the session's events only store the new
 * state in a volatile field and call {@code onChange}, which marks the window dirty. The FX thread reads that
 * field once per frame and never calls into the session.
 */
public final class LiveSession implements UiSession {
    private final MachineConfig config;
    private final DebugSession debug;
    private final StringBuilder console = new StringBuilder();
    private volatile Runnable onChange = () -> { };
    private final java.util.concurrent.atomic.AtomicLong stateVersion = new java.util.concurrent.atomic.AtomicLong();
    private volatile SessionState state;
    private volatile boolean closed;
    /** The trace being written (control thread writes it; others only read it for the status bar). */
    private volatile TraceWriter recorder;
    private volatile String recordError;
    private volatile String notice;
    /** Finishes the trace file if the JVM exits while recording (control thread sets and clears it). */
    private Thread recordExitHook;

    private LiveSession(MachineConfig config, DebugSession debug) {
        this.config = config;
        this.debug = debug;
        this.state = debug.state();
        // events can arrive out of order (two threads recompute, each then queues its own result), so each
        // event re-reads the session's current state on the event thread instead of trusting its argument
        debug.addListener(s -> {
            SessionState now = debug.state();
            if (now != state) {                 // the engine makes a new state object for every change
                state = now;
                stateVersion.incrementAndGet();
            }
            onChange.run();
        });
        if (debug.exits() instanceof ExitStore store) {
            store.addListener(new StoreListener() {
                @Override
                public void onNotice(String line) {
                    notice = line;
                    onChange.run();
                }
            });
        }
        debug.addConsoleSink(text -> {
            synchronized (console) {
                console.append(text);
                if (console.length() > 1 << 20) {
                    console.delete(0, console.length() - (1 << 19));
                }
            }
            onChange.run();
        });
    }

    @Override
    public String notice() {
        return notice;
    }

    /** Builds the guest on the control thread, paused at its first instruction. */
    public static CompletableFuture<LiveSession> start(MachineConfig config) {
        return start(config, null);
    }

    /**
     * Builds the guest paused at its first instruction and, when {@code recordTo} is not null, records it to that
     * trace file from its first exit on. A file that cannot be written does not stop the guest from starting:
     * {@link #recordError()} says why nothing is being recorded.
     */
    public static CompletableFuture<LiveSession> start(MachineConfig config, Path recordTo) {
        return FxThread.control(() -> {
            LiveSession s = new LiveSession(config, DebugSession.launch(config));
            if (recordTo != null) {
                try {
                    s.attachRecorder(recordTo);
                } catch (RuntimeException e) {
                    s.recordError = e.getMessage();
                }
            }
            return s;
        });
    }

    /** The engine session (breakpoints, memory, disassembly); call it from the control thread only. */
    public DebugSession debugSession() {
        return debug;
    }

    /**
     * Runs {@code work} with the engine session on the control thread, the only thread that talks to it; the
     * future completes there (hop back with {@link FxThread#run}). Once the session is closed, work fails with
     * an IllegalStateException instead of touching a machine whose memory is gone.
     */
    public <T> CompletableFuture<T> onControl(Function<DebugSession, T> work) {
        return FxThread.control(() -> {
            if (closed) {
                throw new IllegalStateException("the guest has been closed");
            }
            return work.apply(debug);
        });
    }

    // ---- recording (control thread) ----

    /** True while exits go to a trace file (volatile read). */
    public boolean isRecording() {
        return recorder != null;
    }

    /** The trace file being written, or null. */
    public Path recordingFile() {
        TraceWriter w = recorder;
        return w == null ? null : w.file();
    }

    /** Bytes written to the trace so far (0 when not recording); cheap, for the status bar. */
    public long recordedBytes() {
        TraceWriter w = recorder;
        return w == null ? 0 : w.bytesWritten();
    }

    /** True once a write failed (a full disk) and the recording stopped by itself; a volatile read, for each frame. */
    public boolean recordingFailed() {
        TraceWriter w = recorder;
        return w != null && w.failure() != null;
    }

    /** Why the recording stopped by itself and what the file keeps, or null. */
    public String recordingFailure() {
        TraceWriter w = recorder;
        return w == null ? null : w.failureMessage();
    }

    /** Why the recording asked for at start could not begin, or null. */
    public String recordError() {
        return recordError;
    }

    /**
     * Starts recording to {@code file}. A trace holds a run from its first exit, so this only works before the
     * guest has exited once (else IllegalStateException: restart the guest with {@link #start(MachineConfig, Path)}).
     */
    public CompletableFuture<Void> startRecording(Path file) {
        return onControl(d -> {
            if (recorder != null) {
                throw new IllegalStateException("already recording to " + recorder.file());
            }
            if (d.exits().size() != 0) {
                throw new IllegalStateException("a trace holds a run from its first exit, and " + config.name()
                        + " has run " + d.exits().size() + " exits already: restart it to record");
            }
            attachRecorder(file);
            recordError = null;
            return null;
        });
    }

    /**
     * Stops recording and closes the file; returns a one-line note (null when nothing was being recorded). A
     * running guest is paused first, so every vCPU seals its last exits into the file and the trace ends on a
     * whole exit; it stays paused.
     */
    public CompletableFuture<String> stopRecording() {
        return onControl(this::stopRecordingNow);
    }

    /** Control thread: pauses a running guest (its vCPUs seal their exits), then closes the trace. */
    private String stopRecordingNow(DebugSession d) {
        TraceWriter w = recorder;
        if (w == null) {
            return null;
        }
        boolean paused = false;
        if (d.state().mode() == SessionState.Mode.RUNNING) {
            d.pause();
            paused = true;
            try {
                d.awaitStop(3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return closeRecorder(w) + (paused ? " · the guest was paused so the trace ends on a whole exit" : "");
    }

    private void attachRecorder(Path file) {
        try {
            recorder = debug.record(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record to " + file + ": " + ioReason(e), e);
        }
        // the control thread is a daemon: quitting the app (or Ctrl+C) must not leave the file without its end
        recordExitHook = new Thread(this::finishRecordingOnExit, "vmscope-trace-on-exit");
        Runtime.getRuntime().addShutdownHook(recordExitHook);
    }

    /** In a shutdown hook: has the control thread close the trace (after whatever it is doing), 5 s at most. */
    private void finishRecordingOnExit() {
        try {
            FxThread.control(() -> {
                if (recorder != null && !closed) {
                    stopRecordingNow(debug);
                }
            }).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // exiting anyway: what was written so far still reads back (every record is framed and checksummed)
        }
    }

    private static String ioReason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its directory does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage();
    }

    private String closeRecorder(TraceWriter w) {
        recorder = null;
        if (recordExitHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(recordExitHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting: this is the hook's own work
            }
            recordExitHook = null;
        }
        try {
            w.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        long exits = debug.exits().size();
        return String.format(Locale.ROOT, "recorded %,d exits to %s (%,d bytes)", exits, w.file().getFileName(),
                w.bytesWritten());
    }

    public MachineConfig config() {
        return config;
    }

    @Override
    public ExitSource source() {
        return debug.exits();
    }

    @Override
    public String label() {
        return config.name();
    }

    @Override
    public boolean isLive() {
        return true;
    }

    /** The engine's last reported state (volatile read). */
    public SessionState debugState() {
        return state;
    }

    @Override
    public State state() {
        SessionState s = state;
        if (closed || s.mode() == SessionState.Mode.FINISHED) {
            return State.FINISHED;
        }
        return s.mode() == SessionState.Mode.RUNNING ? State.RUNNING : State.PAUSED;
    }

    @Override
    public String drainConsole() {
        synchronized (console) {
            if (console.length() == 0) {
                return "";
            }
            String s = console.toString();
            console.setLength(0);
            return s;
        }
    }

    @Override
    public long stateVersion() {
        return stateVersion.get();
    }

    @Override
    public void setOnChange(Runnable r) {
        onChange = r == null ? () -> { } : r;
    }

    @Override
    public void resume() {
        FxThread.control(debug::resume);
    }

    /**
     * Pauses at once, without waiting for the control thread (a walkthrough step may hold it while the guest
     * runs; the engine's pause is safe from any thread, and safe after close), and again on the control
     * thread, so that a command queued before this pause (a continue) cannot undo it.
     */
    @Override
    public void pause() {
        Runnable pause = () -> {
            if (!closed) {
                debug.pause();
            }
        };
        FxThread.urgent(pause);
        FxThread.control(pause);
    }

    @Override
    public void stepExit(int vcpu) {
        FxThread.control(() -> {
            int v = runnable(vcpu);
            if (v >= 0) {
                debug.stepExit(v);
            }
        });
    }

    @Override
    public boolean canStepInstruction() {
        return true;
    }

    @Override
    public void stepInstruction(int vcpu) {
        FxThread.control(() -> {
            int v = runnable(vcpu);
            if (v >= 0) {
                debug.stepInstruction(v);
            }
        });
    }

    /** Guest memory now, through the exit's own page tables; nothing once closed (its memory is gone). */
    @Override
    public CompletableFuture<byte[]> instructionBytes(ExitRecord r) {
        return FxThread.control(() -> closed ? null : debug.code().instructionBytes(r));
    }

    /** {@code vcpu} if it can still run, else the first vCPU that can; -1 if none. Control thread. */
    private int runnable(int vcpu) {
        int first = -1;
        for (VcpuStatus r : debug.vcpuStates()) {
            if (!r.ended()) {
                if (r.id() == vcpu || vcpu < 0) {
                    return r.id();
                }
                if (first < 0) {
                    first = r.id();
                }
            }
        }
        return first;
    }

    @Override
    public void close() {
        closed = true;
        onChange.run();
        FxThread.control(() -> {
            debug.close();   // the vCPUs end and seal their last exits first ...
            TraceWriter w = recorder;
            if (w != null) {
                try {
                    closeRecorder(w);   // ... so the trace ends with the whole run and its outcome
                } catch (UncheckedIOException e) {
                    recordError = e.getMessage();
                }
            }
        });
    }
}
