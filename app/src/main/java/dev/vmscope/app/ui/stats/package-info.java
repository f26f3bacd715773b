/**
 * The statistics tab: exits per reason and vCPU, rate over time, guest time between exits.
 */
package dev.vmscope.app.ui.stats;
