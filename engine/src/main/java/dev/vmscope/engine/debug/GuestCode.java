package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.PageWalker;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.vmcs.InstructionBytes;

/**
 * Where the bytes of an exit's instruction come from, the one rule for the window, the console, gdb's monitor and
 * the command line: a live guest's memory read through the page tables the exit ran with (its CR3, not today's),
 * or the code pages a recording kept.
 */
@FunctionalInterface
public interface GuestCode {
    /** Up to 15 bytes at the exit's instruction, or null where neither memory nor the trace can tell. */
    byte[] instructionBytes(ExitRecord r);

    /** From guest memory as it is now (guests here do not rewrite their code). */
    static GuestCode live(GuestMemory memory) {
        return r -> InstructionBytes.locate(r, (linear, len) -> PageWalker.readLinear(r.state(), memory, linear, len));
    }

    /** From the code pages a trace kept (none in traces before format 1.1: then null). */
    static GuestCode recorded(ExitSource source) {
        return r -> InstructionBytes.fromTrace(r, source.codePages());
    }
}
