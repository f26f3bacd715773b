package dev.vmscope.app.ui;

import javafx.animation.AnimationTimer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Coalesces updates to at most one per frame. Any thread may {@link Slot#markDirty() mark} a slot; the FX
 * thread runs each dirty slot's refresh once at the next pulse (60 Hz at most). Pollers run every frame and
 * are for cheap checks, e.g. whether a live source has grown (a volatile read).
 */
public final class FrameUpdater {
    /** One piece of the UI that refreshes itself when marked. */
    public final class Slot {
        private final String name;
        private final Runnable refresh;
        private final AtomicBoolean dirty = new AtomicBoolean();

        private Slot(String name, Runnable refresh) {
            this.name = name;
            this.refresh = refresh;
        }

        /** Safe from any thread; costs one atomic write. */
        public void markDirty() {
            dirty.set(true);
        }

        public boolean isDirty() {
            return dirty.get();
        }

        @Override
        public String toString() {
            return name + (dirty.get() ? " (dirty)" : "");
        }
    }

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final List<Runnable> pollers = new CopyOnWriteArrayList<>();
    private final AnimationTimer timer;
    private long frames;
    private long refreshes;
    private long busyNanos;
    private boolean running;

    public FrameUpdater() {
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                frame();
            }
        };
    }

    /** Adds a refresh action; mark the returned slot when its view is stale. */
    public Slot slot(String name, Runnable refresh) {
        Slot s = new Slot(name, refresh);
        slots.add(s);
        return s;
    }

    public void removeSlot(Slot s) {
        slots.remove(s);
    }

    /** Adds a check that runs on the FX thread every frame (keep it to a few volatile reads). */
    public void addPoller(Runnable poller) {
        pollers.add(poller);
    }

    public void removePoller(Runnable poller) {
        pollers.remove(poller);
    }

    /** Starts the per-frame timer (on the FX thread). */
    public void start() {
        FxThread.requireFx();
        if (!running) {
            running = true;
            timer.start();
        }
    }

    public void stop() {
        FxThread.requireFx();
        running = false;
        timer.stop();
    }

    /** One frame: pollers, then every dirty slot once. Also what tests call to settle the UI without waiting. */
    public void frame() {
        long t0 = System.nanoTime();
        frames++;
        for (Runnable p : pollers) {
            p.run();
        }
        for (Slot s : slots) {
            if (s.dirty.getAndSet(false)) {
                refreshes++;
                s.refresh.run();
            }
        }
        busyNanos += System.nanoTime() - t0;
    }

    /** Time spent in frames so far (pollers and refreshes), for status and benchmarks. */
    public long busyNanos() {
        return busyNanos;
    }

    public long frames() {
        return frames;
    }

    public long refreshes() {
        return refreshes;
    }
}
