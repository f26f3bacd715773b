package dev.vmscope.engine.debug;

/**
 * One vCPU of a debug session at a moment: paused (by a command, a breakpoint's all-stop or a step), ended (its
 * run is over) or running; {@code lastSeq} is its latest exit, -1 before its first.
 */
public record VcpuStatus(int id, boolean paused, boolean ended, long lastSeq) {
}
