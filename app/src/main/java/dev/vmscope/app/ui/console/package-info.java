/**
 * The console pane: the guest's serial output, bounded.
 */
package dev.vmscope.app.ui.console;
