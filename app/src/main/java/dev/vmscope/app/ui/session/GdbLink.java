package dev.vmscope.app.ui.session;

import dev.vmscope.engine.gdb.GdbArch;
import dev.vmscope.engine.gdb.GdbServer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * gdb attached to whatever the window shows: a live guest (gdb drives the same debug session as the
 * toolbar) or a trace (gdb travels through it exit by exit). Each session opened gets a server of its own on
 * the same port. gdb's stops are not pushed to the FX thread one by one: the latest is kept and the window's
 * frame poll takes it ({@link #takeStop}) and selects that exit.
 */
public final class GdbLink implements AutoCloseable {
    private final String spec;
    private final GdbArch arch;
    private final Consumer<String> log;
    private final AtomicLong stop = new AtomicLong(-1);
    private GdbServer server;

    public GdbLink(String spec, GdbArch arch, Consumer<String> log) {
        this.spec = spec;
        this.arch = arch;
        this.log = log;
    }

    /**
     * Serves {@code s} from now on (the previous session's gdb is let go); {@code selected} says where a
     * trace's gdb starts. Throws with a one-line message when the port cannot be used.
     */
    public void serve(UiSession s, LongSupplier selected) {
        close();
        if (s instanceof LiveSession live) {
            server = GdbServer.live(live.debugSession(), spec, arch, stop::set, log);
        } else if (s != null && s.source().size() > 0) {
            server = GdbServer.replay(s.source(), selected, spec, arch, stop::set, log);
        }
    }

    /**
     * The exit gdb stopped at most recently, once, if it is among the {@code size} exits the window has seen;
     * -1 when there is none new. A stop whose exit the window's columns do not hold yet stays for the next
     * frame (taking it then dropping it lost the stop when the engine reported it between the two reads).
     */
    public long takeStop(long size) {
        long s = stop.get();
        return s >= 0 && s < size && stop.compareAndSet(s, -1) ? s : -1;
    }

    /** Where gdb listens ("host:port"), or null while nothing is served. */
    public String hostPort() {
        return server == null ? null : server.hostPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
