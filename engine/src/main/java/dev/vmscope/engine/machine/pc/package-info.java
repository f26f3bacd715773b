/**
 * The PC devices a real kernel probes at boot: CMOS/RTC, fw_cfg, the i8042 keyboard controller, an empty PCI bus,
 * the ACPI tables and the ACPI power-management ports. Each is an {@code IoDevice} on machine.io's bus.
 */
package dev.vmscope.engine.machine.pc;

