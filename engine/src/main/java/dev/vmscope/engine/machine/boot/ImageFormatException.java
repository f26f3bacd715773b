package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.config.GuestConfigException;

/** A kernel file that does not follow its own format (bad header, segment outside the file, …). */
public class ImageFormatException extends GuestConfigException {
    public ImageFormatException(String message) {
        super(message);
    }
}
