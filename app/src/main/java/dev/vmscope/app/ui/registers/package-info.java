/**
 * The registers pane: the selected exit's guest state as rows (the engine's RegisterText for the words), changes
 * since the vCPU's previous exit marked.
 */
package dev.vmscope.app.ui.registers;
