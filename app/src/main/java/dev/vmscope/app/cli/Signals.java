package dev.vmscope.app.cli;

import dev.vmscope.engine.sys.ProcessSignals;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM end a run the way its own end does: the command stops the guest and prints its summary
 * (the JVM's default would exit at once, without it). A second signal while stopping ends the process.
 */
final class Signals implements AutoCloseable {
    private final List<Runnable> restore = new ArrayList<>();

    private Signals() {
    }

    /** Calls {@code stop} with the signal's name ("SIGTERM") on the first SIGINT or SIGTERM until closed. */
    static Signals onTermination(Consumer<String> stop) {
        Signals s = new Signals();
        for (String name : new String[] {"INT", "TERM"}) {
            Runnable previous = ProcessSignals.handle(name, sig -> {
                ProcessSignals.restoreDefault(sig);   // a second one ends the process
                stop.accept("SIG" + sig);
            });
            if (previous != null) {
                s.restore.add(previous);
            }
        }
        return s;
    }

    /** Puts back the handlers that were there before. */
    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
