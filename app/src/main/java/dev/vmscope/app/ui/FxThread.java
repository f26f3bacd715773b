package dev.vmscope.app.ui;

import javafx.application.Platform;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Every hop between the FX thread and the rest goes through here: onto the FX thread ({@link #run}), off it
 * for work that may take time ({@link #background}), and the engine control thread that alone talks to a
 * live machine ({@link #control}). Nothing here waits on the FX thread.
 */
public final class FxThread {
    private static final AtomicInteger WORKER_IDS = new AtomicInteger();

    /** Decoding, filtering, summaries: work that is pure computation over an exit source. */
    private static final ExecutorService BACKGROUND = Executors.newFixedThreadPool(
            Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1)), r -> {
                Thread t = new Thread(r, "vmscope-ui-worker-" + WORKER_IDS.incrementAndGet());
                t.setDaemon(true);
                t.setPriority(Thread.NORM_PRIORITY - 1);
                return t;
            });

    /** The one thread that creates, drives and closes live machines (opening KVM, pausing, resuming). */
    private static final ExecutorService CONTROL = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmscope-control");
        t.setDaemon(true);
        return t;
    });

    /**
     * Bounded waits for the engine to catch up (a live kernel-event reader lagging the latest exit by a few ms):
     * they sleep here, so they never hold the background workers that filtering and decoding need.
     */
    private static final ExecutorService WAITS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vmscope-wait-" + WORKER_IDS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /**
     * The selected exit's own work (its records and explanation): a lane of its own, so a selection or the first
     * frame of a big trace never waits behind a pass over millions of exits (statistics, the timeline's summary,
     * the filter index) on the background worker. Each piece is small and bounded.
     */
    private static final ExecutorService SELECTION = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmscope-selection");
        t.setDaemon(true);
        return t;
    });

    /**
     * Reading a trace file: long (seconds for ten million exits) and shown while it goes, so it must not hold the
     * background worker that the timeline's summary, the statistics and the filter index need to follow it.
     */
    private static final ExecutorService READING = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmscope-reading");
        t.setDaemon(true);
        return t;
    });

    /** Pauses, which must not wait behind a long command on the control thread (a walkthrough step). */
    private static final ExecutorService URGENT = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vmscope-pause");
        t.setDaemon(true);
        return t;
    });

    private FxThread() {
    }

    /** Runs {@code work} at once on its own thread, beside the control thread (only for what is safe there). */
    public static void urgent(Runnable work) {
        URGENT.execute(work);
    }

    /** True on the JavaFX application thread. */
    public static boolean isFx() {
        return Platform.isFxApplicationThread();
    }

    /** Runs {@code r} on the FX thread: now if already there, else at the next opportunity. */
    public static void run(Runnable r) {
        if (isFx()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    /** Always defers {@code r} to a later FX event, even from the FX thread. */
    public static void later(Runnable r) {
        Platform.runLater(r);
    }

    /** Fails fast when called off the FX thread (for code that touches nodes or bound properties). */
    public static void requireFx() {
        if (!isFx()) {
            throw new IllegalStateException("must run on the FX thread, not " + Thread.currentThread().getName());
        }
    }

    /** Fails fast when called on the FX thread (for code that may take time). */
    public static void requireNotFx() {
        if (isFx()) {
            throw new IllegalStateException("must not run on the FX thread");
        }
    }

    /** Computes {@code work} on a background worker; the future completes there (hop back with {@link #run}). */
    public static <T> CompletableFuture<T> background(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, BACKGROUND);
    }

    public static void background(Runnable work) {
        BACKGROUND.execute(work);
    }

    /** Reads a file (a trace) on the lane of its own; the future completes there. */
    public static <T> CompletableFuture<T> reading(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, READING);
    }

    /** Runs a small piece of the selected exit's work off the FX thread, never behind bulk work. */
    public static <T> CompletableFuture<T> selection(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, SELECTION);
    }

    /**
     * Runs {@code wait} (a bounded wait, e.g. for kernel events to catch up) on a thread of its own, then
     * {@code work} (what the selected exit shows) on the {@link #selection} lane.
     */
    public static <T> CompletableFuture<T> afterWait(Runnable wait, Supplier<T> work) {
        return CompletableFuture.runAsync(wait, WAITS).thenApplyAsync(v -> work.get(), SELECTION);
    }

    /** Runs {@code work} on the control thread, the only one that touches live machines. */
    public static CompletableFuture<Void> control(Runnable work) {
        return CompletableFuture.runAsync(work, CONTROL);
    }

    public static <T> CompletableFuture<T> control(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, CONTROL);
    }
}
