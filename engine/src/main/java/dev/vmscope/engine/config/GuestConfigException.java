package dev.vmscope.engine.config;

/** A guest image, manifest or option that cannot be used; the message says what and why. */
public class GuestConfigException extends RuntimeException {
    public GuestConfigException(String message) {
        super(message);
    }
}
