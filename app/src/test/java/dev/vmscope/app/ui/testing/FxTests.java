package dev.vmscope.app.ui.testing;

import javafx.application.Platform;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Small helpers for tests that touch the FX thread. */
public final class FxTests {
    /** The least any {@link #waitUntil} waits before it fails. */
    static final double MIN_WAIT_SECONDS = 30;
    /** How long the FX thread may take to run one piece of test code under a loaded machine. */
    private static final long FX_ANSWER_SECONDS = 60;

    private FxTests() {
    }

    /** Runs {@code c} on the FX thread and returns its result (rethrowing what it threw). */
    public static <T> T onFx(Callable<T> c) {
        if (Platform.isFxApplicationThread()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(FX_ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new AssertionError(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("FX thread did not answer", e);
        }
    }

    public static void onFx(Runnable r) {
        onFx(() -> {
            r.run();
            return null;
        });
    }

    /**
     * Waits (off the FX thread) until {@code condition} holds on the FX thread, up to {@code seconds} but never less
     * than {@link #MIN_WAIT_SECONDS}: these are waits for a condition, so a long limit costs nothing when it holds,
     * and CI may share the machine (a load of 15 on 2 cores made 5 s limits fail tests that were right).
     */
    public static void waitUntil(String what, double seconds, BooleanSupplier condition) {
        seconds = Math.max(seconds, MIN_WAIT_SECONDS);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            if (onFx(condition::getAsBoolean)) {
                return;
            }
            WaitForAsyncUtils.sleep(20, TimeUnit.MILLISECONDS);
        }
        System.err.println("timed out after " + seconds + " s waiting for " + what + "; threads:\n" + threadDump());
        throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
    }

    /** Every thread's stack, so a wait that timed out in CI says what the application's threads were doing. */
    static String threadDump() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            b.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement e : stack) {
                b.append("    at ").append(e).append('\n');
            }
        });
        return b.toString();
    }
}
