package dev.vmscope.app.ui.session;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.MachineListener;
import dev.vmscope.engine.machine.VcpuRunner;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.Outcome;

import java.util.concurrent.CompletableFuture;

/**
 * A guest running on KVM, created paused before its first instruction. Every call into the machine runs on
 * the control thread ({@link FxThread#control}); the machine's listeners only set flags and call
 * {@code onChange}, which marks the window dirty. Until the engine's debugger session lands, stepping uses
 * the machine's per-vCPU gates (resume for one exit); instruction stepping is not offered.
 */
public final class LiveSession implements UiSession {
    private final MachineConfig config;
    private final Machine machine;
    private final StringBuilder console = new StringBuilder();
    private volatile Runnable onChange = () -> { };
    private volatile boolean started;
    private volatile boolean closed;

    private LiveSession(MachineConfig config, Machine machine) {
        this.config = config;
        this.machine = machine;
        machine.addListener(new MachineListener() {
            @Override
            public void vcpuStateChanged(int vcpu, boolean paused, long atSeq) {
                onChange.run();
            }

            @Override
            public void finished(Outcome outcome) {
                onChange.run();
            }
        });
        machine.addConsoleSink(text -> {
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
        return FxThread.control(() -> {
            Machine m = Machine.createPaused(config);
            LiveSession s = new LiveSession(config, m);
            m.start();
            s.started = true;
            return s;
        });
    }

    public Machine machine() {
        return machine;
    }

    @Override
    public ExitSource source() {
        return machine.store();
    }

    @Override
    public String label() {
        return config.name();
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public State state() {
        if (!started) {
            return State.STARTING;
        }
        if (machine.isFinished() || closed) {
            return State.FINISHED;
        }
        for (VcpuRunner r : machine.vcpus()) {
            if (!r.ended() && !r.isPaused()) {
                return State.RUNNING;
            }
        }
        return State.PAUSED;
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
        FxThread.control(() -> {
            for (VcpuRunner r : machine.vcpus()) {
                if (!r.ended() && r.isPaused()) {
                    r.resume(0);
                }
            }
            onChange.run();
        });
    }

    @Override
    public void pause() {
        FxThread.control(() -> {
            for (VcpuRunner r : machine.vcpus()) {
                if (!r.ended()) {
                    r.pause();
                }
            }
        });
    }

    @Override
    public void stepExit(int vcpu) {
        FxThread.control(() -> {
            VcpuRunner target = null;
            for (VcpuRunner r : machine.vcpus()) {
                if (!r.ended() && r.isPaused() && (vcpu < 0 || r.id() == vcpu)) {
                    target = r;
                    break;
                }
            }
            if (target == null && vcpu >= 0) {
                for (VcpuRunner r : machine.vcpus()) {   // that vCPU has ended: step another one
                    if (!r.ended() && r.isPaused()) {
                        target = r;
                        break;
                    }
                }
            }
            if (target != null) {
                target.resume(1);
            }
            onChange.run();
        });
    }

    @Override
    public UiSession restart() {
        return null; // the window restarts by closing this session and starting a new one from config()
    }

    public MachineConfig config() {
        return config;
    }

    @Override
    public void close() {
        closed = true;
        FxThread.control(machine::close);
    }
}
