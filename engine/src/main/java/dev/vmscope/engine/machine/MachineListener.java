package dev.vmscope.engine.machine;

import dev.vmscope.engine.trace.Outcome;

/** Told when a vCPU pauses, resumes or ends, and when the run ends. Called on vCPU threads: keep it short. */
public interface MachineListener {
    default void vcpuStateChanged(int vcpu, boolean paused, long atSeq) {
    }

    default void finished(Outcome outcome) {
    }
}
