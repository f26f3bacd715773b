package dev.vmscope.engine.trace;

import java.io.IOException;

/**
 * A file that cannot be opened as a trace at all: not a vmscope trace, a format version this build does not
 * read, or a damaged header (without it nothing else can be interpreted). Damage further on is not an
 * exception: the reader recovers what it can and says what was lost in its {@link LoadReport}.
 */
public class TraceFormatException extends IOException {
    public TraceFormatException(String message) {
        super(message);
    }
}
