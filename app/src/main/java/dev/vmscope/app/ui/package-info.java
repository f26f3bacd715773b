/**
 * The JavaFX window's shared parts: the launcher, {@code FxThread} (the FX thread, the control thread that alone
 * talks to the engine, a background worker), {@code FrameUpdater} (at most one refresh per frame), the shared exit
 * selection, reason colours and themes. One subpackage per pane, each a View (FXML controller) and a ViewModel.
 */
package dev.vmscope.app.ui;
