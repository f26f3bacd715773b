package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;

/** Builds snapshot words the way the capture path lays them out (see {@link StateLayout}), for tests. */
final class StateBuilder {
    private final long[] w = new long[StateLayout.WORDS];

    /** A flat 32-bit protected-mode guest: CS 0x08 code (type 0xB), data segments 0x10 (type 0x3), TR busy TSS. */
    static StateBuilder protected32() {
        StateBuilder b = new StateBuilder();
        b.segment(Segment.CS, 0x08, 0, 0xFFFFFFFFL, 0xB, true, 0, true, true, false, true, false);
        for (Segment s : new Segment[]{Segment.DS, Segment.ES, Segment.SS, Segment.FS, Segment.GS}) {
            b.segment(s, 0x10, 0, 0xFFFFFFFFL, 0x3, true, 0, true, true, false, true, false);
        }
        b.segment(Segment.TR, 0x18, 0x5000, 0x67, 0xB, true, 0, false, false, false, false, false);
        b.segment(Segment.LDTR, 0, 0, 0, 0, false, 0, false, false, false, false, true);
        return b.cr0(0x11).rflags(0x2);
    }

    /** A 64-bit long-mode guest with paging. */
    static StateBuilder long64() {
        StateBuilder b = protected32();
        b.segment(Segment.CS, 0x08, 0, 0xFFFFFFFFL, 0xB, true, 0, false, true, true, true, false);
        return b.cr0(0x80000011L).cr4(0x20).efer(0x500);
    }

    /** A real-mode guest as after reset (CS base 0xF0000). */
    static StateBuilder real16() {
        StateBuilder b = new StateBuilder();
        for (Segment s : new Segment[]{Segment.DS, Segment.ES, Segment.SS, Segment.FS, Segment.GS}) {
            b.segment(s, 0, 0, 0xFFFF, 0x3, true, 0, false, true, false, false, false);
        }
        b.segment(Segment.CS, 0xF000, 0xF0000, 0xFFFF, 0xB, true, 0, false, true, false, false, false);
        b.segment(Segment.TR, 0, 0, 0xFFFF, 0xB, true, 0, false, false, false, false, false);
        b.segment(Segment.LDTR, 0, 0, 0xFFFF, 0x2, true, 0, false, false, false, false, false);
        return b.cr0(0x10).rflags(0x2);
    }

    StateBuilder segment(Segment seg, int selector, long base, long limit, int type, boolean present, int dpl, boolean db,
                         boolean s, boolean l, boolean g, boolean unusable) {
        int i = StateLayout.segmentWord(seg);
        w[i] = base;
        w[i + 1] = (limit & 0xFFFFFFFFL) | ((long) selector & 0xFFFF) << 32 | ((long) type & 0xFF) << 48 | (present ? 1L : 0) << 56;
        w[i + 2] = (dpl & 0xFF) | (db ? 1L : 0) << 8 | (s ? 1L : 0) << 16 | (l ? 1L : 0) << 24 | (g ? 1L : 0) << 32
                | (unusable ? 1L : 0) << 48;
        return this;
    }

    StateBuilder rip(long v) { w[StateLayout.RIP] = v; return this; }
    StateBuilder rsp(long v) { w[StateLayout.RSP] = v; return this; }
    StateBuilder rax(long v) { w[StateLayout.RAX] = v; return this; }
    StateBuilder rsi(long v) { w[StateLayout.RSI] = v; return this; }
    StateBuilder rdi(long v) { w[StateLayout.RDI] = v; return this; }
    StateBuilder rflags(long v) { w[StateLayout.RFLAGS] = v; return this; }
    StateBuilder cr0(long v) { w[StateLayout.CR0] = v; return this; }
    StateBuilder cr2(long v) { w[StateLayout.CR2] = v; return this; }
    StateBuilder cr3(long v) { w[StateLayout.CR3] = v; return this; }
    StateBuilder cr4(long v) { w[StateLayout.CR4] = v; return this; }
    StateBuilder efer(long v) { w[StateLayout.EFER] = v; return this; }
    StateBuilder gdt(long base, int limit) { w[StateLayout.GDT_BASE] = base; w[StateLayout.GDT_LIMIT] = limit; return this; }
    StateBuilder idt(long base, int limit) { w[StateLayout.IDT_BASE] = base; w[StateLayout.IDT_LIMIT] = limit; return this; }

    /** KVM's shadow bits: MOV_SS = 1, STI = 2. */
    StateBuilder interruptShadow(int kvmShadow) {
        w[StateLayout.EV_INTERRUPT_NMI] = (w[StateLayout.EV_INTERRUPT_NMI] & ~(0xFFL << 24)) | ((long) kvmShadow & 0xFF) << 24;
        return this;
    }

    StateBuilder nmiMasked(boolean masked) {
        w[StateLayout.EV_INTERRUPT_NMI] = (w[StateLayout.EV_INTERRUPT_NMI] & ~(0xFFL << 48)) | (masked ? 1L : 0) << 48;
        return this;
    }

    StateBuilder inSmm(boolean smm) {
        w[StateLayout.EV_SMI] = (w[StateLayout.EV_SMI] & ~0xFFL) | (smm ? 1 : 0);
        return this;
    }

    /** Marks the snapshot as full level and sets DR6/DR7 and mp_state. */
    StateBuilder full(long dr6, long dr7, int mpState) {
        w[StateLayout.FULL_FLAG] = 1;
        w[StateLayout.DR6] = dr6;
        w[StateLayout.DR7] = dr7;
        w[StateLayout.MP_STATE] = mpState;
        return this;
    }

    StateBuilder msr(Msr m, long v) {
        w[StateLayout.msrWord(m)] = v;
        return this;
    }

    GuestState build() {
        return new GuestState(w);
    }

    ExitRecord exit(KvmExit exit) {
        return new ExitRecord(1, 0, 1000, 500, exit, build());
    }

    ExitRecord exit(long seq, int vcpu, KvmExit exit) {
        return new ExitRecord(seq, vcpu, seq * 1000, 500, exit, build());
    }
}
