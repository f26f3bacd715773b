/**
 * Port I/O: the {@link dev.vmscope.engine.machine.io.IoDevice} interface and the
 * {@link dev.vmscope.engine.machine.io.IoBus} a vCPU thread hands each KVM_EXIT_IO to before the exit is
 * recorded (so an IN records what the guest got). The devices live in machine (UART, debug-exit) and
 * machine.pc; this package knows none of them.
 */
package dev.vmscope.engine.machine.io;
