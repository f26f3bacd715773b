/**
 * Lecture walkthroughs: {@link dev.vmscope.engine.walkthrough.Walkthrough} is the file format of
 * {@code samples/NAME/walkthrough.txt} (documented there, read by {@code WalkthroughParser}) and
 * {@link dev.vmscope.engine.walkthrough.WalkthroughPlayer} runs a live {@link dev.vmscope.engine.debug.DebugSession}
 * to a step's exit with the session's own breakpoints and all-stop. The app's walkthrough pane shows the step
 * and selects the exit it stopped at.
 */
package dev.vmscope.engine.walkthrough;
