package dev.vmscope.app.cli;

import dev.vmscope.engine.sys.ProcessSignals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * SIGINT and SIGTERM end a run the way its own end does: the command stops the guest and prints its summary
 * (the JVM's default would exit at once, without it). A second signal while stopping ends the process.
 *
 * <p>The exit code then follows the shell's convention for a process a signal ended, 128 + its number (130
 * for SIGINT, 143 for SIGTERM), so a script can tell an interrupted run from one whose guest finished.
 */
final class Signals implements AutoCloseable {
    /** The signals handled and their numbers (POSIX fixes both on Linux). */
    private static final Map<String, Integer> NUMBERS = Map.of("INT", 2, "TERM", 15);

    private final List<Runnable> restore = new ArrayList<>();
    private volatile int received;

    private Signals() {
    }

    /** Calls {@code stop} with the signal's name ("SIGTERM") on the first SIGINT or SIGTERM until closed. */
    static Signals onTermination(Consumer<String> stop) {
        Signals s = new Signals();
        for (String name : NUMBERS.keySet()) {
            Runnable previous = ProcessSignals.handle(name, sig -> {
                ProcessSignals.restoreDefault(sig);   // a second one ends the process
                if (s.received == 0) {
                    s.received = NUMBERS.get(sig);
                }
                stop.accept("SIG" + sig);
            });
            if (previous != null) {
                s.restore.add(previous);
            }
        }
        return s;
    }

    /** 128 + the number of the signal that stopped the run, or {@code otherwise} when none did. */
    int exitCode(int otherwise) {
        int n = received;
        return n == 0 ? otherwise : 128 + n;
    }

    /** Puts back the handlers that were there before. */
    @Override
    public void close() {
        restore.forEach(Runnable::run);
    }
}
