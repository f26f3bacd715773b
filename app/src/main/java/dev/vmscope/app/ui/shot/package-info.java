/**
 * Pictures of the window: File ▸ Export view as PNG, and the command line's {@code --screenshot}, which opens the
 * window headless (Monocle) at a given size and theme, runs a walkthrough to a step, writes the PNG and exits.
 */
package dev.vmscope.app.ui.shot;
