package dev.vmscope.engine.machine;

import dev.vmscope.engine.exit.CapturedExit;

/**
 * Sees every exit on the vCPU thread right after it was recorded. Must be quick and must not keep
 * {@code exit} (it is reused): call {@link CapturedExit#toRecord()} for a copy.
 */
@FunctionalInterface
public interface ExitHook {
    /** Returns true to pause this vCPU here. */
    boolean onExit(CapturedExit exit);
}
