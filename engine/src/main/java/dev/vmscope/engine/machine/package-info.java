/**
 * A guest: {@code Machine} builds it from a {@code MachineConfig} (or {@code GuestSpec}), runs one {@code
 * VcpuRunner} thread per vCPU (KVM_RUN, serve the device, capture the exit into the store, let hooks look, obey
 * the gate), walks page tables and samples code pages for recordings. Devices are on machine.io's bus; loaders in
 * machine.boot, PC devices in machine.pc. The debugger (debug) drives a Machine; the app never holds one.
 */
package dev.vmscope.engine.machine;
