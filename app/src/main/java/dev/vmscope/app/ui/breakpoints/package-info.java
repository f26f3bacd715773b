/**
 * The breakpoints pane: exit reasons with conditions and hardware address breakpoints, applied to the live session
 * on the control thread and saved per guest.
 */
package dev.vmscope.app.ui.breakpoints;
