/**
 * Boot protocols: how a guest file becomes bytes in guest RAM and a {@link dev.vmscope.engine.machine.boot.BootPlan}
 * for the boot vCPU (flat, ELF, Multiboot v1, Linux bzImage). Every loader checks the file against its own format's
 * fields before it copies a byte, and refuses with one line naming the field; loader data (multiboot information,
 * zero page) goes where nothing the guest was given lies.
 */
package dev.vmscope.engine.machine.boot;
