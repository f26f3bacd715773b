/**
 * The window's view of KVM's tracepoints (the engine's {@code KernelEvents}, live or from a trace): what the
 * kernel did for the guest between its user-space exits.
 *
 * <ul>
 *   <li>{@link dev.vmscope.app.ui.kernel.KernelPalette}: one colour per kind of kernel work, shared by the
 *       timeline's kernel sub-lanes, its legend, the statistics and the drill-down list.</li>
 *   <li>{@link dev.vmscope.app.ui.kernel.KernelSummary}: per vCPU, the kinds over blocks of events, so a
 *       timeline column answers "which kinds happened here" in bounded steps however many events it
 *       covers (the level of detail the exits have).</li>
 *   <li>{@link dev.vmscope.app.ui.kernel.KernelActivity}: the events before one exit since its vCPU's
 *       previous exit, decoded (the latest few hundred) for the "why this exit happened" pane, and counted
 *       without decoding for the exit list.</li>
 *   <li>{@link dev.vmscope.app.ui.kernel.KernelEventList} and
 *       {@link dev.vmscope.app.ui.kernel.KernelEventsWindow}: the exit list's drill-down, a virtual list that
 *       decodes only the rows it shows.</li>
 * </ul>
 * Threading: the engine reports new events a batch at a time on its reader thread; the window only sets a
 * flag there, and the frame timer extends the summary on a background worker and redraws. The FX thread
 * never waits for kernel events and never handles one event per callback.
 */
package dev.vmscope.app.ui.kernel;
