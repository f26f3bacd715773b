/**
 * The picocli commands (run, debug, vmcs, stats, export, ui, open): options to an engine configuration, the
 * engine's answers to text and exit codes (0 ok, 1 the guest failed, 2 usage or environment, one line, never a
 * stack trace).
 */
package dev.vmscope.app.cli;
