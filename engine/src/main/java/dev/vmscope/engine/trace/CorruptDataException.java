package dev.vmscope.engine.trace;

/** Encoded exit data that does not decode: a damaged chunk or file. */
public class CorruptDataException extends RuntimeException {
    public CorruptDataException(String message) {
        super(message);
    }
}
