/**
 * What the window has open: {@code UiSession}, a live guest ({@code LiveSession}, the only holder of a
 * DebugSession, driven from the control thread) or a recorded trace ({@code ReplaySession}), and where guest
 * memory reads run.
 */
package dev.vmscope.app.ui.session;
