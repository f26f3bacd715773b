package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.trace.CodePages;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

/**
 * Finds the bytes of the instruction behind an exit in guest memory, for what KVM's exit data leaves out
 * (I/O: string, REP, DX or immediate, length). KVMs differ in where RIP points when an I/O exit reaches user
 * space: at the instruction (a REP string instruction still in progress, and some hosts for every I/O) or
 * already past it (PVM, and KVM's fast path for OUT). So: the I/O instruction at RIP if that is one matching
 * the exit, else one that matches and ends exactly at RIP.
 */
public final class InstructionBytes {
    /** Reads guest memory at a linear address; may throw when it is not mapped. */
    @FunctionalInterface
    public interface LinearReader {
        byte[] read(long linear, int length);
    }

    private InstructionBytes() {
    }

    /** Bytes starting at the exit's instruction, or null when memory cannot tell. */
    public static byte[] locate(ExitRecord r, LinearReader memory) {
        long rip = ExitInfoMapper.instructionLinearAddress(r.state());
        byte[] atRip = read(memory, rip, X86Decoder.MAX_LENGTH);
        if (!(r.exit() instanceof KvmExit.Io io)) {
            return atRip;
        }
        int bits = r.state().codeBits();
        X86Insn here = IoExits.decode(atRip, bits);
        if (here != null && IoExits.matches(here, io)) {
            return atRip;
        }
        byte[] before = read(memory, rip - X86Decoder.MAX_LENGTH, X86Decoder.MAX_LENGTH);
        if (before == null) {
            return atRip;
        }
        for (int len = 1; len <= X86Decoder.MAX_LENGTH; len++) {   // shortest first: prefixes make longer candidates
            byte[] candidate = java.util.Arrays.copyOfRange(before, X86Decoder.MAX_LENGTH - len, X86Decoder.MAX_LENGTH);
            X86Insn d = IoExits.decode(candidate, bits);
            if (d != null && d.length() == len && IoExits.matches(d, io)) {
                return candidate;
            }
        }
        return atRip;
    }

    /**
     * The exit's instruction bytes from the code pages a trace kept (as the guest first ran there), or null when
     * the trace kept none (traces before format 1.1): the view then marks what only the bytes tell.
     */
    public static byte[] fromTrace(ExitRecord r, CodePages pages) {
        return pages.isEmpty() ? null : locate(r, (linear, len) -> pages.readLinear(r.state(), linear, len));
    }

    private static byte[] read(LinearReader memory, long at, int len) {
        if (at < 0) {
            return null;
        }
        try {
            return memory.read(at, len);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
