package dev.vmscope.engine.sys;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.function.Consumer;

/**
 * The one place vmscope handles POSIX signals. Java has no public API for it, so this uses {@code sun.misc.Signal}
 * (module jdk.unsupported, kept by every JDK since 9); javac warns about that here and nowhere else.
 */
@SuppressWarnings("restriction")
public final class ProcessSignals {
    private ProcessSignals() {
    }

    /**
     * Calls {@code handler} with the signal's name ("TERM") when {@code name} arrives, instead of its default action.
     * Returns what puts the previous handler back, or null when the JVM keeps this signal for itself (-Xrs, a
     * debugger), so its default action stays.
     */
    public static Runnable handle(String name, Consumer<String> handler) {
        Signal signal = new Signal(name);
        try {
            SignalHandler previous = Signal.handle(signal, sig -> handler.accept(sig.getName()));
            return () -> Signal.handle(signal, previous);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Gives {@code name} back its default action (for SIGINT and SIGTERM: ending the process). */
    public static void restoreDefault(String name) {
        Signal.handle(new Signal(name), SignalHandler.SIG_DFL);
    }
}
