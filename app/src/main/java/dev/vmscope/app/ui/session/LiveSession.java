package dev.vmscope.app.ui.session;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.VcpuRunner;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.vmcs.InstructionBytes;

import java.util.concurrent.CompletableFuture;

/**
 * A guest on KVM under the engine's {@link DebugSession}, stopped before its first instruction. Every
 * command runs on the control thread ({@link FxThread#control}); the session's events only store the new
 * state in a volatile field and call {@code onChange}, which marks the window dirty. The FX thread reads that
 * field once per frame and never calls into the session.
 */
public final class LiveSession implements UiSession {
    private final MachineConfig config;
    private final DebugSession debug;
    private final StringBuilder console = new StringBuilder();
    private volatile Runnable onChange = () -> { };
    private volatile SessionState state;
    private volatile boolean closed;

    private LiveSession(MachineConfig config, DebugSession debug) {
        this.config = config;
        this.debug = debug;
        this.state = debug.state();
        // events can arrive out of order (two threads recompute, each then queues its own result), so each
        // event re-reads the session's current state on the event thread instead of trusting its argument
        debug.addListener(s -> {
            state = debug.state();
            onChange.run();
        });
        debug.machine().addConsoleSink(text -> {
            synchronized (console) {
                console.append(text);
                if (console.length() > 1 << 20) {
                    console.delete(0, console.length() - (1 << 19));
                }
            }
            onChange.run();
        });
    }

    /** Builds the guest on the control thread, paused at its first instruction. */
    public static CompletableFuture<LiveSession> start(MachineConfig config) {
        return FxThread.control(() -> new LiveSession(config, DebugSession.launch(config)));
    }

    /** The engine session (breakpoints, memory, disassembly); call it from the control thread only. */
    public DebugSession debugSession() {
        return debug;
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
    public void setOnChange(Runnable r) {
        onChange = r == null ? () -> { } : r;
    }

    @Override
    public void resume() {
        FxThread.control(debug::resume);
    }

    @Override
    public void pause() {
        FxThread.control(() -> debug.pause());
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

    /**
     * Guest memory now, through the exit's vCPU's page tables: the code of a past exit is read as it is today
     * (guests here do not rewrite their code). Nothing is read once the session is closed: its memory is gone.
     */
    @Override
    public CompletableFuture<byte[]> instructionBytes(ExitRecord r) {
        return FxThread.control(() -> closed ? null
                : InstructionBytes.locate(r, (linear, len) -> debug.readLinear(r.vcpu(), linear, len)));
    }

    /** {@code vcpu} if it can still run, else the first vCPU that can; -1 if none. Control thread. */
    private int runnable(int vcpu) {
        int first = -1;
        for (VcpuRunner r : debug.machine().vcpus()) {
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
        FxThread.control(debug::close);
    }
}
