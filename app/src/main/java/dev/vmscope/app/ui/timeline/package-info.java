/**
 * The timeline pane: one lane per vCPU, every exit a mark in its reason's colour, drawn from a per-pixel summary
 * so a frame costs what the pixels cost.
 */
package dev.vmscope.app.ui.timeline;
