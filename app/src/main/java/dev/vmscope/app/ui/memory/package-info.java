/**
 * The memory pane: hex and ASCII at an address or a register of the selected exit, linear or physical.
 */
package dev.vmscope.app.ui.memory;
