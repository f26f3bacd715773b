package dev.vmscope.engine.trace;

/** The run stopped at exit {@code seq} because breakpoint {@code breakpointId} ({@code description}) matched. */
public record BreakpointHit(long seq, int breakpointId, String description) {
}
