/**
 * Why the selected exit happened and its VMCS/VMCB fields: {@code ExitDetailsViewModel} computes the engine's
 * field views off the FX thread, the explanation and VMCS panes show them.
 */
package dev.vmscope.app.ui.vmcs;
