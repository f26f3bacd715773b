/**
 * The one jar's entry point: {@code Main} sends a command line to the CLI (cli) or opens the window (ui).
 */
package dev.vmscope.app;
