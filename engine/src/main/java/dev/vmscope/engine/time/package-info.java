/**
 * Time as vmscope shows it: {@code RunClock}, the clock exit and kernel-event times are read from (the time the
 * guest was let run, with the debugger's pauses cut out and remembered as {@code Pause}s), and {@code TimeText},
 * the one way every view and command writes a time for people ("12.345 ms", "1.2 µs"). A leaf: it uses nothing
 * else of the engine.
 */
package dev.vmscope.engine.time;
