package dev.vmscope.engine.gdb;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.trace.ExitSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A gdb remote-protocol server: listens on a TCP port (127.0.0.1 unless a host is given) and serves one gdb
 * at a time on threads of its own: an accept thread, and per connection a reader thread and the stub's
 * thread. A second gdb is turned away while one is attached. Everything it has to say goes to {@code log}
 * as one line.
 */
public final class GdbServer implements AutoCloseable {
    private final ServerSocket server;
    private final Supplier<GdbTarget> targets;
    private final Consumer<String> log;
    private final GdbArch arch;
    private final Thread acceptor;
    private final Object sessions = new Object();
    private int ended;
    private volatile Socket client;

    private GdbServer(ServerSocket server, Supplier<GdbTarget> targets, GdbArch arch, Consumer<String> log) {
        this.server = server;
        this.arch = arch;
        this.targets = targets;
        this.log = log;
        this.acceptor = new Thread(this::acceptLoop, "vmscope-gdb-accept");
        acceptor.setDaemon(true);
    }

    /** Serves a live guest: {@code spec} is {@code [HOST:]PORT} (port 0 picks a free one). */
    public static GdbServer live(DebugSession session, String spec, Consumer<String> log) {
        return live(session, spec, GdbArch.X86_64, seq -> { }, log);
    }

    /** As {@link #live(DebugSession, String, Consumer)}; {@code stopped} hears the exit of every stop gdb sees. */
    public static GdbServer live(DebugSession session, String spec, GdbArch arch, LongConsumer stopped,
                                 Consumer<String> log) {
        return start(spec, () -> new LiveTarget(session, stopped), arch, log);
    }

    /**
     * Serves a recorded trace, exit by exit: each gdb starts at the exit {@code start} names (e.g. the one the
     * window has selected) and every move is reported to {@code moved}.
     */
    public static GdbServer replay(ExitSource trace, LongSupplier start, String spec, GdbArch arch,
                                   LongConsumer moved, Consumer<String> log) {
        if (trace.size() == 0) {
            throw new GuestConfigException("the trace has no exits: nothing for gdb to look at");
        }
        return start(spec, () -> new ReplayTarget(trace, start.getAsLong(), moved), arch, log);
    }

    static GdbServer start(String spec, Supplier<GdbTarget> targets, GdbArch arch, Consumer<String> log) {
        InetSocketAddress at = parse(spec);
        ServerSocket s;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(at, 1);
        } catch (IOException e) {
            throw new GuestConfigException("cannot listen for gdb on " + spec + ": " + e.getMessage());
        }
        GdbServer g = new GdbServer(s, targets, arch, log);
        if (!at.getAddress().isLoopbackAddress()) {
            log.accept("gdb: warning: listening on " + at.getAddress().getHostAddress()
                    + ": anyone who can reach this port controls the guest");
        }
        log.accept("gdb: listening on " + g.hostPort() + " (in gdb: target remote " + g.hostPort() + ")");
        g.acceptor.start();
        return g;
    }

    /** {@code [HOST:]PORT}: a port alone listens on 127.0.0.1 only; a bad one throws with a one-line message. */
    public static InetSocketAddress parse(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : spec.substring(0, colon);
        String port = colon < 0 ? spec : spec.substring(colon + 1);
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65535) {
            throw new GuestConfigException("--gdb takes [HOST:]PORT with a port from 0 to 65535, not '" + spec + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.isEmpty() ? "127.0.0.1" : host), p);
        } catch (UnknownHostException e) {
            throw new GuestConfigException("--gdb: unknown host '" + host + "'");
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** HOST:PORT as gdb's target remote takes it. */
    public String hostPort() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /** Waits until {@code n} gdb connections have ended (or the timeout passes); true if they have. */
    public boolean awaitConnectionsEnded(int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        synchronized (sessions) {
            while (ended < n) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                sessions.wait(left);
            }
            return true;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return;   // closed
            }
            if (client != null) {
                log.accept("gdb: turned away " + s.getRemoteSocketAddress() + ": a gdb is already attached");
                closeQuietly(s);
                continue;
            }
            client = s;
            Thread t = new Thread(() -> serve(s), "vmscope-gdb");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        String end;
        try {
            s.setTcpNoDelay(true);
            log.accept("gdb: attached from " + s.getRemoteSocketAddress());
            PacketChannel ch = new PacketChannel(s.getInputStream(), s.getOutputStream());
            GdbStub stub = new GdbStub(targets.get(), arch, ch, log);
            Thread reader = new Thread(() -> ch.readLoop(stub::incoming), "vmscope-gdb-reader");
            reader.setDaemon(true);
            reader.start();
            end = stub.serve();
        } catch (IOException e) {
            end = "connection lost: " + e.getMessage();
        } catch (InterruptedException e) {
            end = "stopped";
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            end = "stub failed: " + e;
        } finally {
            closeQuietly(s);
            client = null;
        }
        log.accept("gdb: " + end);
        synchronized (sessions) {
            ended++;
            sessions.notifyAll();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        Socket c = client;
        if (c != null) {
            closeQuietly(c);
        }
    }
}
