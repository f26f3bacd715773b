package dev.vmscope.app.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM end a run the way its own end does: the command stops the guest and prints its summary
 * (the JVM's default would exit at once, without it). A second signal while stopping ends the process.
 */
@SuppressWarnings("restriction")
final class Signals implements AutoCloseable {
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    private Signals() {
    }

    /** Calls {@code stop} with the signal's name ("SIGTERM") on the first SIGINT or SIGTERM until closed. */
    static Signals onTermination(Consumer<String> stop) {
        Signals s = new Signals();
        for (String name : new String[] {"INT", "TERM"}) {
            Signal signal = new Signal(name);
            try {
                s.previous.put(signal, Signal.handle(signal, sig -> {
                    Signal.handle(sig, SignalHandler.SIG_DFL);   // a second one ends the process
                    stop.accept("SIG" + sig.getName());
                }));
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal for itself (-Xrs, a debugger): its default action stays
            }
        }
        return s;
    }

    /** Puts back the handlers that were there before. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
