package dev.vmscope.app.cli;

import dev.vmscope.engine.debug.GuestCode;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.TraceReader;
import dev.vmscope.engine.trace.Outcome;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;

/**
 * Gives a command the exits it asks for: from a guest run live just far enough (and kept, so its memory can
 * still be read), or from a recorded trace.
 */
final class ExitSourceOpener {
    private ExitSourceOpener() {
    }

    /** An open source of exits; close it when done (stops a live guest). */
    interface Opened extends AutoCloseable {
        ExitSource source();

        /** Up to 15 bytes at the instruction address of the record, or null where memory is not available. */
        byte[] instructionBytes(ExitRecord r);

        /** Why the source may have fewer exits than asked for, e.g. ", the guest ended: HALTED". */
        String why();

        @Override
        void close();
    }

    /**
     * A recorded trace as is, or the guest run until it has made {@code exits} exits (or ends); null when the
     * trace cannot be read at all, after one line on {@code err} saying why.
     */
    static Opened open(GuestOptions options, long exits, PrintWriter err) throws InterruptedException {
        if (TraceReader.looksLikeTrace(options.guest)) {
            LoadedTrace t = StatsCommand.open(options.guest, err);
            if (t == null) {
                return null;
            }
            return new Opened() {
                @Override
                public ExitSource source() {
                    return t.source();
                }

                @Override
                public byte[] instructionBytes(ExitRecord r) {
                    return GuestCode.recorded(t.source()).instructionBytes(r);
                }

                @Override
                public String why() {
                    return t.report().isClean() ? " in the trace" : " in the trace; " + t.report().summary();
                }

                @Override
                public void close() {
                }
            };
        }
        return live(options, exits, err);
    }

    private static Opened live(GuestOptions options, long exits, PrintWriter err) throws InterruptedException {
        MachineConfig c = options.config().toBuilder().maxExits(exits).build();
        Machine m = Machine.create(c);
        KernelEventLines.warnIfOff(c.kernelEvents() != null, m.kernelEvents(), err);
        StoreNotices.printTo(m.store(), err);
        m.start();
        Outcome o = m.awaitOutcome(60, TimeUnit.SECONDS);
        if (o == null) {
            m.stop();
            o = m.awaitOutcome();
        }
        Outcome outcome = o;
        return new Opened() {
            @Override
            public ExitSource source() {
                return m.store();
            }

            @Override
            public byte[] instructionBytes(ExitRecord r) {
                return GuestCode.live(m.memory()).instructionBytes(r);
            }

            @Override
            public String why() {
                return outcome.kind() == Outcome.Kind.EXIT_LIMIT ? "" : ", the guest ended: " + outcome.kind();
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }
}
