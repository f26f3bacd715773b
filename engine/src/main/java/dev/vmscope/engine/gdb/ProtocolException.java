package dev.vmscope.engine.gdb;

/** A packet gdb sent that vmscope cannot take: answered with an error packet, the connection goes on. */
final class ProtocolException extends RuntimeException {
    ProtocolException(String message) {
        super(message);
    }
}
