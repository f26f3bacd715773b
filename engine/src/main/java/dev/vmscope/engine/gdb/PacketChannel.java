package dev.vmscope.engine.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The remote protocol's framing on one connection: {@code $payload#cs} with a modulo-256 checksum, the
 * {@code +}/{@code -} acknowledgements (until gdb asks for no-ack mode), the interrupt byte 0x03 between
 * packets, and {@code }}-escaping of {@code $ # } *} in what vmscope sends. Reading runs on the
 * connection's reader thread; sending may come from any thread (it is synchronized).
 *
 * <p>Bad input never ends the connection: a wrong checksum is answered with {@code -} (gdb sends the packet
 * again), a packet longer than {@link #MAX_PACKET} is dropped up to its {@code #} and reported as
 * {@link Incoming.Oversized} so the stub can answer it with an error, stray bytes are counted and reported.
 */
final class PacketChannel {
    /** The largest packet vmscope takes (advertised as PacketSize); gdb keeps its packets within it. */
    static final int MAX_PACKET = 0x4000;

    /** What arrives from gdb. */
    sealed interface Incoming {
        record Packet(byte[] payload) implements Incoming {
            String text() {
                return new String(payload, StandardCharsets.ISO_8859_1);
            }
        }

        record Interrupt() implements Incoming {
        }

        record Oversized(int length) implements Incoming {
        }

        record BadChecksum(String start) implements Incoming {
        }

        record Stray(int count) implements Incoming {
        }

        record Closed(String why) implements Incoming {
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private volatile boolean ackMode = true;
    private byte[] lastSent;

    PacketChannel(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    /** After gdb's QStartNoAckMode has been acknowledged: no more + and - either way. */
    void stopAcks() {
        ackMode = false;
    }

    boolean ackMode() {
        return ackMode;
    }

    /** Reads until the connection ends, handing every packet, interrupt and complaint to {@code sink}. */
    void readLoop(Consumer<Incoming> sink) {
        byte[] buf = new byte[MAX_PACKET];
        int stray = 0;
        try {
            while (true) {
                int c = in.read();
                if (c < 0) {
                    sink.accept(new Incoming.Closed("gdb closed the connection"));
                    return;
                }
                if (c == '$') {
                    if (stray > 0) {
                        sink.accept(new Incoming.Stray(stray));
                        stray = 0;
                    }
                    Incoming p = readPacket(buf);
                    if (p == null) {
                        sink.accept(new Incoming.Closed("gdb closed the connection inside a packet"));
                        return;
                    }
                    sink.accept(p);
                } else if (c == 0x03) {
                    sink.accept(new Incoming.Interrupt());
                } else if (c == '-' && ackMode) {
                    resend();
                } else if (c != '+') {
                    stray++;
                }
            }
        } catch (IOException e) {
            sink.accept(new Incoming.Closed("connection lost: " + e.getMessage()));
        }
    }

    /** After the '$': payload up to '#', then two checksum digits. Null at end of stream. */
    private Incoming readPacket(byte[] buf) throws IOException {
        int len = 0;
        int total = 0;
        int sum = 0;
        int c;
        while ((c = in.read()) != '#') {
            if (c < 0) {
                return null;
            }
            if (c == '$') {   // a new packet inside this one: the first was broken, start again
                len = 0;
                total = 0;
                sum = 0;
                continue;
            }
            sum += c;
            if (len < buf.length) {
                buf[len++] = (byte) c;
            }
            total++;
        }
        int hi = in.read();
        int lo = in.read();
        if (lo < 0) {
            return null;
        }
        if (total > buf.length) {
            ack('+');   // received whole; too long to use
            return new Incoming.Oversized(total);
        }
        int given = Hex.digit(hi) < 0 || Hex.digit(lo) < 0 ? -1 : Hex.digit(hi) << 4 | Hex.digit(lo);
        if (given != (sum & 0xFF)) {
            ack('-');
            return new Incoming.BadChecksum(new String(buf, 0, Math.min(len, 16), StandardCharsets.ISO_8859_1));
        }
        ack('+');
        return new Incoming.Packet(java.util.Arrays.copyOf(buf, len));
    }

    private void ack(char c) throws IOException {
        if (ackMode) {
            synchronized (this) {
                out.write(c);
                out.flush();
            }
        }
    }

    /** Sends one packet, escaping what the framing reserves. */
    synchronized void send(String payload) throws IOException {
        byte[] p = payload.getBytes(StandardCharsets.ISO_8859_1);
        byte[] framed = new byte[p.length * 2 + 4];
        int n = 0;
        int sum = 0;
        framed[n++] = '$';
        for (byte b : p) {
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                framed[n++] = '}';
                sum += '}';
                b ^= 0x20;
            }
            framed[n++] = b;
            sum += b & 0xFF;
        }
        framed[n++] = '#';
        framed[n++] = (byte) "0123456789abcdef".charAt((sum >> 4) & 0xF);
        framed[n++] = (byte) "0123456789abcdef".charAt(sum & 0xF);
        lastSent = java.util.Arrays.copyOf(framed, n);
        out.write(lastSent);
        out.flush();
    }

    private synchronized void resend() throws IOException {
        if (lastSent != null) {
            out.write(lastSent);
            out.flush();
        }
    }

    /** Undoes the {@code }}-escaping of binary data (the X packet's). */
    static byte[] unescape(byte[] data, int from) {
        byte[] out = new byte[data.length - from];
        int n = 0;
        for (int i = from; i < data.length; i++) {
            byte b = data[i];
            if (b == '}' && i + 1 < data.length) {
                b = (byte) (data[++i] ^ 0x20);
            }
            out[n++] = b;
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
