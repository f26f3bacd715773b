package dev.vmscope.engine.io;

/**
 * Runs a task on a daemon thread of its own whenever it is woken. Wakes that come while the task runs make one
 * more run, not one each, and the thread ends when nothing is due, so an idle owner holds no thread. The
 * waker never waits for the task: it sets a flag and, rarely, starts the thread.
 */
public final class WakeableTask {
    private final String threadName;
    private final Runnable task;
    private boolean running;
    private boolean pending;

    public WakeableTask(String threadName, Runnable task) {
        this.threadName = threadName;
        this.task = task;
    }

    /** Makes the task run (again) soon. */
    public synchronized void wake() {
        pending = true;
        if (!running) {
            running = true;
            Thread t = new Thread(this::loop, threadName);
            t.setDaemon(true);
            t.start();
        }
    }

    private void loop() {
        while (true) {
            synchronized (this) {
                if (!pending) {
                    running = false;
                    return;
                }
                pending = false;
            }
            task.run();
        }
    }
}
