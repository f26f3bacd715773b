/**
 * The Record toggle: records a live guest to a .vmtrace through its DebugSession.
 */
package dev.vmscope.app.ui.record;
