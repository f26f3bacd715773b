/**
 * The walkthrough panel (lecture mode), included from main-window.fxml: shows the engine's walkthrough steps and
 * plays them on the control thread.
 */
package dev.vmscope.app.ui.walkthrough;
