package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;

/**
 * The named values the timeline exports attach to an exit's slice: seq, guest time, the decoded payload of
 * I/O, MMIO and MSR exits, RIP and the one-line detail. One list for every export format; each format says how
 * it writes a number, a hex value, a flag or a text.
 */
final class ExitArgs {
    /** Receives the values in order. */
    interface Sink {
        void number(String name, long value);

        /** A value best read in hex (ports, addresses, data, RIP). */
        void hex(String name, long value);

        void flag(String name, boolean value);

        void text(String name, String value);
    }

    private ExitArgs() {
    }

    static void visit(ExitRecord r, Sink s) {
        s.number("seq", r.seq());
        s.number("guest_ns", r.guestNs());
        KvmExit e = r.exit();
        if (e instanceof KvmExit.Io io) {
            s.hex("port", io.port());
            s.text("direction", io.out() ? "out" : "in");
            s.number("size", io.size());
            s.number("count", io.count());
            s.hex("value", io.value());
        } else if (e instanceof KvmExit.Mmio mm) {
            s.hex("address", mm.address());
            s.number("length", mm.length());
            s.flag("write", mm.write());
            s.hex("data", mm.data());
        } else if (e instanceof KvmExit.Msr ms) {
            s.hex("msr", ms.index() & 0xFFFFFFFFL);
            s.flag("write", ms.write());
            s.hex("data", ms.data());
            s.number("error", ms.error());
        }
        s.hex("rip", r.state().rip());
        s.text("detail", e.detail());
    }
}
