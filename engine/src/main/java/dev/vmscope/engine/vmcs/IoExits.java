package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

import static dev.vmscope.engine.vmcs.VmcsField.GUEST_LINEAR_ADDRESS;
import static dev.vmscope.engine.vmcs.VmcsField.VMX_INSTRUCTION_INFO;
import static dev.vmscope.engine.vmcs.VmcsField.VM_EXIT_INSTRUCTION_LEN;

/**
 * KVM_EXIT_IO as VMX exit 30 and SVM IOIO. KVM gives port, size, direction and count; string, REP, DX or
 * immediate, address size, segment and length come from the instruction bytes at RIP (KVM has not moved RIP
 * yet at an I/O exit), and are marked unknown without them. A count above one can only come from REP INS/OUTS.
 */
final class IoExits {
    private IoExits() {
    }

    static void map(ExitInfo.Builder b, KvmExit.Io io, GuestState s, byte[] code) {
        X86Insn d = decode(code, s.codeBits());
        String missing = ExitInfoMapper.NO_BYTES;
        if (code != null && d == null) {
            missing = "the bytes at RIP are not an I/O instruction";
        } else if (d != null && !matches(d, io)) {
            missing = "the I/O instruction at RIP does not match this exit";
            d = null;
        }
        boolean repString = d == null && io.count() > 1; // KVM reports count > 1 only for REP INS/OUTS
        b.vmx(VmxExitReasons.IO_INSTRUCTION, "KVM_EXIT_IO");

        long q = ((io.size() - 1) & 7) | (io.out() ? 0 : 8) | ((long) io.port() << 16);
        long unknown = 0;
        String how = "kvm_run.io size, direction and port";
        if (d != null) {
            q |= (d.ioString() ? 16 : 0) | (d.ioRepeated() ? 32 : 0) | (d.ioImmediatePort() ? 64 : 0);
            how += "; string, REP and operand encoding from the instruction at RIP";
        } else if (repString) {
            q |= 16 | 32;
            how += "; count " + io.count() + " > 1 means a REP string instruction, whose port is always DX";
        } else {
            unknown = 16 | 32 | 64;
            how += "; string, REP and operand encoding unknown: " + missing;
            b.note("KVM does not say whether the instruction was a string one, had REP, or took the port from DX or an "
                    + "immediate; " + missing + ".");
        }
        b.qualification(FieldValue.derived(q, unknown, how), BitDecoders.IO_QUALIFICATION);
        b.vmcs(VM_EXIT_INSTRUCTION_LEN, d != null ? FieldValue.derived(d.length(), "decoded from the bytes at RIP")
                : FieldValue.notCaptured(missing));
        b.noEventInfo().notDuringDelivery();

        if (d != null && d.ioString()) {
            long info = (long) addressSizeCode(d.addressSize()) << 7 | (long) Math.max(d.ioSegment(), 0) << 15;
            // Bits the SDM leaves undefined are shown as 0; the segment is undefined for INS, so it is unknown there.
            b.vmcs(VMX_INSTRUCTION_INFO, FieldValue.derived(info, d.ioIn() ? 7L << 15 : 0,
                    "address size and segment of the instruction at RIP; undefined bits shown as 0"));
            b.vmcs(GUEST_LINEAR_ADDRESS, stringOperandAddress(d, s));
        } else if (d != null) {
            b.vmcs(VMX_INSTRUCTION_INFO, FieldValue.notApplicable("defined only for INS/OUTS"));
            b.vmcs(GUEST_LINEAR_ADDRESS, FieldValue.notApplicable("defined only for INS/OUTS"));
        } else {
            b.vmcs(VMX_INSTRUCTION_INFO, FieldValue.notCaptured(missing));
            b.vmcs(GUEST_LINEAR_ADDRESS, FieldValue.notCaptured(missing));
        }

        b.svm(SvmExitCodes.IOIO);
        long i1 = (io.out() ? 0 : 1) | (long) sizeOneHot(io.size()) << 4 | (long) io.port() << 16;
        long u1 = 7L << 10; // SEG: only meaningful for a decoded string instruction
        if (d != null) {
            i1 |= (d.ioString() ? 4 : 0) | (d.ioRepeated() ? 8 : 0) | (long) addressOneHot(d.addressSize()) << 7;
            if (d.ioString()) {
                i1 |= (long) Math.max(d.ioSegment(), 0) << 10;
                u1 = 0;
            }
        } else if (repString) {
            i1 |= 4 | 8;
            u1 |= 7L << 7;
        } else {
            u1 |= 4 | 8 | 7L << 7;
        }
        b.vmcb(VmcbField.EXIT_INFO_1, FieldValue.derived(i1, u1, "kvm_run.io in the SVM IOIO layout"
                + (d != null ? "; string, REP, address size from the instruction at RIP" : "")));
        FieldValue next = d != null ? FieldValue.derived(s.rip() + d.length(), "RIP + instruction length")
                : FieldValue.notCaptured(missing);
        b.vmcb(VmcbField.EXIT_INFO_2, next);
        b.vmcb(VmcbField.NEXT_RIP, next);
    }

    /** INS writes at ES:RDI; OUTS reads at DS:RSI (or the override). In 64-bit mode only FS/GS bases count. */
    private static FieldValue stringOperandAddress(X86Insn d, GuestState s) {
        Segment seg = switch (d.ioSegment()) {
            case 0 -> Segment.ES;
            case 1 -> Segment.CS;
            case 2 -> Segment.SS;
            case 4 -> Segment.FS;
            case 5 -> Segment.GS;
            default -> Segment.DS;
        };
        long offset = d.ioIn() ? s.rdi() : s.rsi();
        long mask = d.addressSize() == 64 ? -1L : (1L << d.addressSize()) - 1;
        boolean longMode = s.codeBits() == 64;
        long base = longMode && seg != Segment.FS && seg != Segment.GS ? 0 : s.segment(seg).base();
        long linear = base + (offset & mask);
        if (!longMode) {
            linear &= 0xFFFFFFFFL;
        }
        return FieldValue.derived(linear, seg + " base + " + (d.ioIn() ? "RDI" : "RSI")
                + " (" + d.addressSize() + "-bit address), first element");
    }

    /** The IN/OUT/INS/OUTS at the start of {@code code}; null when the bytes are no complete I/O instruction. */
    static X86Insn decode(byte[] code, int codeBits) {
        X86Insn i = X86Decoder.first(code, codeBits);
        return i != null && i.isIo() ? i : null;
    }

    /** Whether an I/O instruction can be the one KVM reported: direction, size, an immediate port, REP for a count. */
    static boolean matches(X86Insn d, KvmExit.Io io) {
        if (d.ioIn() == io.out() || d.ioSize() != io.size()) {
            return false;
        }
        if (d.ioImmediatePort() && d.ioPort() != io.port()) {
            return false;
        }
        return io.count() <= 1 || d.ioRepeated();
    }

    private static int addressSizeCode(int bits) {
        return bits == 16 ? 0 : bits == 32 ? 1 : 2;
    }

    private static int addressOneHot(int bits) {
        return bits == 16 ? 1 : bits == 32 ? 2 : 4;
    }

    private static int sizeOneHot(int size) {
        return size == 1 ? 1 : size == 2 ? 2 : 4;
    }
}
