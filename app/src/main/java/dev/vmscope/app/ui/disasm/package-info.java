/**
 * The disassembly pane: instructions around the selected exit's RIP, from live memory or a trace's code pages.
 */
package dev.vmscope.app.ui.disasm;
