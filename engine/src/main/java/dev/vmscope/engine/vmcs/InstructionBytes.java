package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.CodePages;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Finds the instruction behind an exit in guest memory: its address and bytes, for what KVM's exit data leaves
 * out (I/O: string, REP, DX or immediate; lengths) and for the views that show or mark "the instruction that
 * exited". RIP does not always point at it when the exit reaches user space: KVM has already stepped past a HLT,
 * past an OUT on its fast path and past an MMIO write it completed (the host under test does all three; PVM does
 * more), while an IN, an MMIO read and RDMSR/WRMSR wait at the instruction for their data.
 *
 * <p>So for each exit kind there is a test of the instruction that can have caused it (HLT is F4, an MSR exit is
 * 0F 32 or 0F 30, an I/O exit an I/O instruction of its direction, size and port, an MMIO exit one that accesses
 * memory) and an order: where the kind's RIP is usually past the instruction, first an instruction that passes
 * the test and ends exactly at RIP (shortest first: prefixes make longer candidates), then the one at RIP; else
 * the other way round. Other exits (and no match) take the bytes at RIP.
 */
public final class InstructionBytes {
    /** Reads guest memory at a linear address; may throw when it is not mapped. */
    @FunctionalInterface
    public interface LinearReader {
        byte[] read(long linear, int length);
    }

    /** The exit's instruction: where it starts (linear), its bytes onwards, and whether RIP had already passed it. */
    public record Located(long linear, byte[] bytes, boolean beforeRip) {
    }

    private InstructionBytes() {
    }

    /** Bytes starting at the exit's instruction, or null when memory cannot tell. */
    public static byte[] locate(ExitRecord r, LinearReader memory) {
        Located l = find(r, memory);
        return l == null ? null : l.bytes();
    }

    /** The exit's instruction, or null when the memory at RIP cannot be read. */
    public static Located find(ExitRecord r, LinearReader memory) {
        long rip = ExitInfoMapper.instructionLinearAddress(r.state());
        byte[] atRip = read(memory, rip, X86Decoder.MAX_LENGTH);
        Predicate<X86Insn> cause = causeOf(r.exit());
        if (cause == null) {
            return atRip == null ? null : new Located(rip, atRip, false);
        }
        int bits = r.state().codeBits();
        boolean hereMatches = atRip != null && matches(X86Decoder.first(atRip, bits), cause);
        if (hereMatches && !usuallyPast(r.exit())) {
            return new Located(rip, atRip, false);
        }
        byte[] before = read(memory, rip - X86Decoder.MAX_LENGTH, X86Decoder.MAX_LENGTH);
        for (int len = 1; before != null && len <= X86Decoder.MAX_LENGTH; len++) {
            byte[] candidate = Arrays.copyOfRange(before, X86Decoder.MAX_LENGTH - len, X86Decoder.MAX_LENGTH);
            X86Insn d = X86Decoder.first(candidate, bits);
            if (d != null && d.length() == len && matches(d, cause)) {
                return new Located(rip - len, candidate, true);
            }
        }
        return atRip == null ? null : new Located(rip, atRip, false);
    }

    /** What an instruction must be to have caused {@code exit}, or null when the exit names no instruction. */
    private static Predicate<X86Insn> causeOf(KvmExit exit) {
        if (exit instanceof KvmExit.Io io) {
            return d -> d.isIo() && IoExits.matches(d, io);
        }
        if (exit instanceof KvmExit.Mmio) {
            return d -> d.hasMemoryOperand() || d.isString();
        }
        if (exit instanceof KvmExit.Msr m) {
            int op = m.write() ? 0x30 : 0x32;
            return d -> d.opcodeMap() == X86Insn.MAP_0F && d.opcode() == op;
        }
        if (exit instanceof KvmExit.Hypercall) {
            return d -> d.opcodeMap() == X86Insn.MAP_0F && d.opcode() == 0x01 && (d.modrm() == 0xC1 || d.modrm() == 0xD9);
        }
        if (exit.reason() == KvmExitReason.HLT) {
            return d -> d.opcodeMap() == X86Insn.MAP_ONE_BYTE && d.opcode() == 0xF4;
        }
        return null;
    }

    /** Exits KVM usually reports with RIP already past their instruction (see the class comment). */
    private static boolean usuallyPast(KvmExit exit) {
        return exit.reason() == KvmExitReason.HLT
                || exit instanceof KvmExit.Io io && io.out() && io.count() <= 1
                || exit instanceof KvmExit.Mmio m && m.write();
    }

    private static boolean matches(X86Insn d, Predicate<X86Insn> cause) {
        return d != null && d.valid() && cause.test(d);
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
