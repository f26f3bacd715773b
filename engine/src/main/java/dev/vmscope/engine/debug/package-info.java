/**
 * The debugger: {@code DebugSession} is the app's and the CLI's way into a live guest (run, pause, step,
 * breakpoints, memory, registers, console sinks, vCPU states, recording) and hands out no Machine; it owns the
 * all-stop at a breakpoint. Exit and address breakpoints, disassembly around RIP, {@code GuestCode} (where an
 * exit's instruction bytes come from, live or recorded). Tools on top: gdb, walkthrough.
 */
package dev.vmscope.engine.debug;
