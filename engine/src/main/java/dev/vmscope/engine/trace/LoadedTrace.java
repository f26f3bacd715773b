package dev.vmscope.engine.trace;

/**
 * A trace file opened by {@link TraceReader}: its exits behind the same read API as a live run, and what
 * opening it found (what was recovered and what was lost).
 */
public record LoadedTrace(ExitStore source, LoadReport report) {
    public MachineInfo machine() {
        return source.machine();
    }
}
