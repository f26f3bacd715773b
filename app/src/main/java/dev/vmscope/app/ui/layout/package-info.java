/**
 * How the window's panes are arranged: collapsing, maximising and restoring them in any theme, the presenter
 * theme's arrangement for a talk (type sized to the window, the panes a walkthrough step talks about shown large),
 * and table columns sized to what they show so nothing is cut to an ellipsis.
 */
package dev.vmscope.app.ui.layout;
