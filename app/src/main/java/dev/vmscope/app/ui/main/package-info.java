/**
 * The main window: {@code MainWindow} wires main-window.fxml's panes to {@code MainViewModel} (the open session,
 * toolbar commands, status), and the debugger's panes (DebugPanes).
 */
package dev.vmscope.app.ui.main;
