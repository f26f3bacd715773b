package dev.vmscope.engine.exit;

import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;

import java.util.Arrays;

import static dev.vmscope.engine.exit.StateLayout.*;

/**
 * The guest state captured at one exit: an immutable array of words laid out by {@link StateLayout},
 * with typed accessors. Everything here was read from KVM at that exit; nothing is invented.
 */
public final class GuestState {
    private final long[] w;

    public GuestState(long[] words) {
        if (words.length != WORDS) {
            throw new IllegalArgumentException("a snapshot has " + WORDS + " words, got " + words.length);
        }
        this.w = words.clone();
    }

    public long word(int i) {
        return w[i];
    }

    /** A copy of the raw words (for encoders and diffs). */
    public long[] words() {
        return w.clone();
    }

    /** GPR by number in x86 encoding order: RAX RCX RDX RBX RSP RBP RSI RDI R8..R15. */
    public long gprByEncoding(int n) {
        return w[ENCODING_TO_WORD[n & 15]];
    }

    private static final int[] ENCODING_TO_WORD = {RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, 8, 9, 10, 11, 12, 13, 14, 15};

    public long rax() { return w[RAX]; }
    public long rbx() { return w[RBX]; }
    public long rcx() { return w[RCX]; }
    public long rdx() { return w[RDX]; }
    public long rsi() { return w[RSI]; }
    public long rdi() { return w[RDI]; }
    public long rsp() { return w[RSP]; }
    public long rbp() { return w[RBP]; }
    public long r(int n) { return w[R8 + n - 8]; }
    public long rip() { return w[RIP]; }
    public long rflags() { return w[RFLAGS]; }

    public SegmentState segment(Segment s) {
        int i = segmentWord(s);
        return SegmentState.fromWords(w[i], w[i + 1], w[i + 2]);
    }

    public long gdtBase() { return w[GDT_BASE]; }
    public int gdtLimit() { return (int) (w[GDT_LIMIT] & 0xFFFF); }
    public long idtBase() { return w[IDT_BASE]; }
    public int idtLimit() { return (int) (w[IDT_LIMIT] & 0xFFFF); }
    public long cr0() { return w[CR0]; }
    public long cr2() { return w[CR2]; }
    public long cr3() { return w[CR3]; }
    public long cr4() { return w[CR4]; }
    public long cr8() { return w[CR8]; }
    public long efer() { return w[EFER]; }
    public long apicBase() { return w[APIC_BASE]; }

    // kvm_vcpu_events
    public boolean exceptionInjected() { return byteOf(EV_EXCEPTION, 0) != 0; }
    public int exceptionNr() { return byteOf(EV_EXCEPTION, 1); }
    public boolean exceptionHasErrorCode() { return byteOf(EV_EXCEPTION, 2) != 0; }
    public boolean exceptionPending() { return byteOf(EV_EXCEPTION, 3) != 0; }
    public int exceptionErrorCode() { return (int) (w[EV_EXCEPTION] >>> 32); }
    public boolean interruptInjected() { return byteOf(EV_INTERRUPT_NMI, 0) != 0; }
    public int interruptNr() { return byteOf(EV_INTERRUPT_NMI, 1); }
    public boolean interruptSoft() { return byteOf(EV_INTERRUPT_NMI, 2) != 0; }
    /** KVM's shadow bits: KVM_X86_SHADOW_INT_MOV_SS = 1, KVM_X86_SHADOW_INT_STI = 2. */
    public int interruptShadow() { return byteOf(EV_INTERRUPT_NMI, 3); }
    public boolean nmiInjected() { return byteOf(EV_INTERRUPT_NMI, 4) != 0; }
    public boolean nmiPending() { return byteOf(EV_INTERRUPT_NMI, 5) != 0; }
    public boolean nmiMasked() { return byteOf(EV_INTERRUPT_NMI, 6) != 0; }
    public int sipiVector() { return (int) w[EV_SIPI_FLAGS]; }
    public boolean inSmm() { return byteOf(EV_SMI, 0) != 0; }
    public boolean tripleFaultPending() { return byteOf(EV_SMI, 4) != 0; }

    /** True when debug registers, MSRs and MP state were captured at this exit ({@code full} level). */
    public boolean isFull() { return w[FULL_FLAG] != 0; }
    public long dr(int n) { return w[DR0 + n]; }
    public long dr6() { return w[DR6]; }
    public long dr7() { return w[DR7]; }
    public long msr(Msr m) { return w[msrWord(m)]; }
    /** KVM_MP_STATE_*: 0 runnable, 1 uninitialized, 2 INIT received, 3 halted, 4 SIPI received. */
    public int mpState() { return (int) w[MP_STATE]; }

    /** Long mode active (EFER.LMA). */
    public boolean longMode() { return (efer() & (1 << 10)) != 0; }

    /** The code size the CPU decodes at RIP: 16, 32 or 64 bits. */
    public int codeBits() {
        return codeBits(w);
    }

    /** The linear address of CS:RIP, truncated to the code size the way the CPU fetches. */
    public long codeLinearAddress() {
        return codeLinearAddress(w);
    }

    /** {@link #codeBits()} of raw snapshot words, without building a GuestState (the capture path). */
    public static int codeBits(long[] words) {
        long csFlags = words[segmentWord(Segment.CS) + 2];      // dpl | db<<8 | s<<16 | l<<24 | …
        boolean l = ((csFlags >>> 24) & 0xFF) != 0;
        boolean db = ((csFlags >>> 8) & 0xFF) != 0;
        if ((words[EFER] & (1 << 10)) != 0 && l) {
            return 64;
        }
        if ((words[CR0] & 1) == 0) {
            return 16;
        }
        return db ? 32 : 16;
    }

    /** {@link #codeLinearAddress()} of raw snapshot words. Outside 64-bit code it wraps at 4 GiB. */
    public static long codeLinearAddress(long[] words) {
        int bits = codeBits(words);
        long rip = words[RIP];
        if (bits == 64) {
            return rip;
        }
        long ip = bits == 16 ? rip & 0xFFFF : rip & 0xFFFFFFFFL;
        return (words[segmentWord(Segment.CS)] + ip) & 0xFFFFFFFFL;
    }

    private int byteOf(int word, int b) {
        return (int) ((w[word] >>> (8 * b)) & 0xFF);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestState g && Arrays.equals(w, g.w);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(w);
    }
}
