package dev.vmscope.app.cli;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.machine.Machine;

import java.io.PrintWriter;

/**
 * {@code run --trace-exits} with kernel events: one line per exit, the kernel's events of that vCPU since its
 * previous exit indented above it. Kernel events reach vmscope a few milliseconds after the exit they precede,
 * so this thread prints each exit once the kernel side up to its time is complete (or the run has ended),
 * never from a vCPU thread.
 */
final class TraceExitsPrinter {
    private final Machine machine;
    private final PrintWriter out;
    private final Thread thread;

    private TraceExitsPrinter(Machine machine, PrintWriter out) {
        this.machine = machine;
        this.out = out;
        this.thread = new Thread(this::loop, "trace-exits");
        thread.setDaemon(true);
    }

    static TraceExitsPrinter start(Machine machine, PrintWriter out) {
        TraceExitsPrinter p = new TraceExitsPrinter(machine, out);
        p.thread.start();
        return p;
    }

    /** Waits until every exit is printed (call after the run has ended). */
    void finish() throws InterruptedException {
        thread.join();
    }

    private void loop() {
        KernelEvents k = machine.kernelEvents();
        long next = 0;
        try {
            while (true) {
                boolean ended = machine.isFinished();   // before the sizes: then nothing more comes after them
                long size = machine.store().size();
                long complete = k.completeUntilNs();
                while (next < size) {
                    ExitRecord r = machine.store().get(next);
                    if (r == null || !ended && r.timeNs() > complete) {
                        break;
                    }
                    synchronized (out) {
                        KernelEventLines.printBefore(out, machine.store(), r, Integer.MAX_VALUE);
                        out.println(RunCommand.exitLine(r.seq(), r.vcpu(), r.reason().name(), r.exit().detail(),
                                r.state().rip(), machine.store().symbols().suffix(r.state().codeLinearAddress())));
                        out.flush();
                    }
                    next++;
                }
                if (ended && next >= size) {
                    return;
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
