package dev.vmscope.engine.exit;

/** One segment register as KVM reports it, with the VMX access-rights encoding derived from it. */
public record SegmentState(int selector, long base, long limit, int type, boolean present, int dpl, boolean db,
                           boolean s, boolean l, boolean g, boolean avl, boolean unusable) {

    /**
     * The VMCS access-rights format (SDM 24.4.1): type 3:0, S 4, DPL 6:5, P 7, AVL 12, L 13, D/B 14, G 15,
     * unusable 16. Like Linux's vmx_segment_access_rights(), an unusable segment is just bit 16.
     */
    public int vmxAccessRights() {
        if (unusable) {
            return 1 << 16;
        }
        return (type & 0xF) | (s ? 1 << 4 : 0) | ((dpl & 3) << 5) | (present ? 1 << 7 : 0)
                | (avl ? 1 << 12 : 0) | (l ? 1 << 13 : 0) | (db ? 1 << 14 : 0) | (g ? 1 << 15 : 0);
    }

    /** AMD VMCB attribute format: type 3:0, S 4, DPL 6:5, P 7, AVL 8, L 9, DB 10, G 11. */
    public int svmAttributes() {
        return (type & 0xF) | (s ? 1 << 4 : 0) | ((dpl & 3) << 5) | (present ? 1 << 7 : 0)
                | (avl ? 1 << 8 : 0) | (l ? 1 << 9 : 0) | (db ? 1 << 10 : 0) | (g ? 1 << 11 : 0);
    }

    static SegmentState fromWords(long base, long w1, long w2) {
        return new SegmentState((int) ((w1 >>> 32) & 0xFFFF), base, w1 & 0xFFFFFFFFL, (int) ((w1 >>> 48) & 0xFF),
                ((w1 >>> 56) & 0xFF) != 0, (int) (w2 & 0xFF), ((w2 >>> 8) & 0xFF) != 0, ((w2 >>> 16) & 0xFF) != 0,
                ((w2 >>> 24) & 0xFF) != 0, ((w2 >>> 32) & 0xFF) != 0, ((w2 >>> 40) & 0xFF) != 0,
                ((w2 >>> 48) & 0xFF) != 0);
    }
}
