package dev.vmscope.app.cli;

import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.StoreListener;

import java.io.PrintWriter;

/** Prints what a live run's store says once (its memory bound reached, a spill that failed) as a line on stderr. */
final class StoreNotices {
    private StoreNotices() {
    }

    /** From now on, each notice of {@code source}'s store (if it is a live one) goes to {@code err}. */
    static void printTo(ExitSource source, PrintWriter err) {
        if (source instanceof ExitStore store) {
            store.addListener(new StoreListener() {
                @Override
                public void onNotice(String line) {
                    err.println("vmscope: " + line);
                    err.flush();
                }
            });
        }
    }
}
