package dev.vmscope.engine.kvm;

/** A guest-physical access fell outside guest RAM. */
public class GuestMemoryException extends RuntimeException {
    public GuestMemoryException(long addr, long len, long size) {
        super(String.format("guest-physical access 0x%x+%d outside guest RAM (0x%x bytes)", addr, len, size));
    }
}
