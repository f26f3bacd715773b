/**
 * The exit list: a virtual table over the ExitSource with reason, vCPU and text filters.
 */
package dev.vmscope.app.ui.exits;
