/**
 * A gdb remote-protocol stub (protocol code of vmscope's own): {@link dev.vmscope.engine.gdb.GdbServer}
 * listens, {@code PacketChannel} frames packets, {@code GdbStub} answers them on its own thread, and a
 * {@code GdbTarget} is what it debugs: a live {@link dev.vmscope.engine.debug.DebugSession} or a recorded
 * trace played exit by exit. Registers travel in the layout of {@code RegisterMap} (x86-64 core, SSE,
 * segments, and a system feature with CR0-CR8, EFER and the FS/GS bases).
 *
 * <p>Decisions: threads are vCPUs (thread id = vCPU index + 1), all-stop; a step moves one vCPU while the
 * others stay paused; breakpoints of every kind use the session's debug registers (Z0 included, since int3
 * does not work on every KVM host); detaching or losing gdb leaves the guest as it is and removes gdb's
 * breakpoints.
 */
package dev.vmscope.engine.gdb;
