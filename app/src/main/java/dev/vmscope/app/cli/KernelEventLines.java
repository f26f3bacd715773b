package dev.vmscope.app.cli;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.KernelEventsBefore;

import java.io.PrintWriter;

/** How the command line shows kernel events: one indented line each, and the one line when there are none. */
final class KernelEventLines {
    private KernelEventLines() {
    }

    /** Prints vCPU {@code exit.vcpu()}'s kernel events since its previous exit (at most {@code max}, the latest). */
    static int printBefore(PrintWriter out, ExitSource source, ExitRecord exit, int max) {
        KernelEventsBefore k = KernelEventsBefore.of(source, exit, max);
        if (k.earlier() > 0) {
            out.printf("    … %d earlier kernel events%n", k.earlier());
        }
        k.events().forEach(e -> out.println(KernelEventsBefore.line(e)));
        return k.events().size();
    }

    /** When kernel events were asked for but are off: the one line saying why, on stderr. */
    static void warnIfOff(boolean requested, KernelEvents k, PrintWriter err) {
        if (requested && !k.capture().on()) {
            err.println("vmscope: " + k.capture().note());
            err.flush();
        }
    }
}
