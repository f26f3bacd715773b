package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelCapture;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.time.Pauses;

import java.util.List;
import java.util.function.Consumer;

/**
 * The one read API over exits, whether they come from a live session or a trace file: everything built on
 * it (VMCS view, statistics, the window) works on both. Safe to call from any thread while a live run
 * appends.
 */
public interface ExitSource {
    MachineInfo machine();

    /** Exits published so far; seq numbers run from 0 to size()-1. */
    long size();

    /** Compact per-exit columns (time, vCPU, reason) for drawing and counting without decoding. */
    ExitColumns columns();

    /** The full record of exit {@code seq}, or null if it is not (yet) available. */
    ExitRecord get(long seq);

    /** Visits exits {@code from} (inclusive) to {@code to} (exclusive) in seq order, decoding each once. */
    void scan(long from, long to, Consumer<ExitRecord> visitor);

    /**
     * Like {@link #scan} but decodes each exit into one reused buffer, allocating nothing per exit: for passes over
     * millions of exits (the exit list's text filter). The visitor reads the buffer during its call only.
     */
    void scanInto(long from, long to, Consumer<CapturedExit> visitor);

    /** The guest's serial output so far. */
    String console();

    /** Where the run stopped on a breakpoint, in order. */
    List<BreakpointHit> breakpointHits();

    /** How the run ended, or null while it is still going. */
    Outcome outcome();

    /** The pages code ran from, as a trace keeps them (empty unless the run was recorded). */
    CodePages codePages();

    /** The guest's symbols (empty when it had none): what {@code name+0x1c} is made of. */
    default SymbolTable symbols() {
        return SymbolTable.EMPTY;
    }

    /** KVM's tracepoints captured beside the exits (empty, with why, when there are none). */
    default KernelEvents kernelEvents() {
        return KernelEvents.none(KernelCapture.OFF.note());
    }

    /**
     * Where the debugger held every vCPU, cut out of the times (see {@code RunClock}); oldest first. A trace keeps
     * its times without the pauses but not where they were, so it has none.
     */
    default Pauses pauses() {
        return Pauses.NONE;
    }
}
