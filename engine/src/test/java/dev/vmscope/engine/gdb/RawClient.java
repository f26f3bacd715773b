package dev.vmscope.engine.gdb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A bare TCP client that speaks the remote protocol byte by byte, to send what a good gdb never would. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);   // generous: a reply that never comes fails the test, it does not hang it
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    static String frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xFF;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xFF);
    }

    void raw(String bytes) throws IOException {
        out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a well-formed packet and returns its reply (acks skipped, the reply acknowledged). */
    String request(String payload) throws IOException {
        raw(frame(payload));
        return reply();
    }

    /** The next byte that is an acknowledgement ('+' or '-'). */
    char ack() throws IOException {
        int c = in.read();
        if (c != '+' && c != '-') {
            throw new IOException("expected an ack, got " + (c < 0 ? "end of stream" : "'" + (char) c + "'"));
        }
        return (char) c;
    }

    /** The next packet's payload, its checksum checked. */
    String reply() throws IOException {
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int sum = 0;
        while ((c = in.read()) != '#') {
            if (c < 0) {
                throw new IOException("connection closed in a packet");
            }
            b.write(c);
            sum += c;
        }
        String cs = new String(new byte[] {(byte) in.read(), (byte) in.read()}, StandardCharsets.ISO_8859_1);
        if (Integer.parseInt(cs, 16) != (sum & 0xFF)) {
            throw new IOException("bad checksum from the stub");
        }
        out.write('+');
        out.flush();
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the stub closes the connection within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
