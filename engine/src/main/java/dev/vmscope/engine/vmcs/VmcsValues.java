package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;

import java.util.Map;

import static dev.vmscope.engine.exit.StateLayout.Segment.CS;
import static dev.vmscope.engine.exit.StateLayout.Segment.DS;
import static dev.vmscope.engine.exit.StateLayout.Segment.ES;
import static dev.vmscope.engine.exit.StateLayout.Segment.FS;
import static dev.vmscope.engine.exit.StateLayout.Segment.GS;
import static dev.vmscope.engine.exit.StateLayout.Segment.LDTR;
import static dev.vmscope.engine.exit.StateLayout.Segment.SS;
import static dev.vmscope.engine.exit.StateLayout.Segment.TR;
import static dev.vmscope.engine.vmcs.VmcsField.*;

/** Decides the value of each VMCS field for one exit, from the guest facts and the mapped exit. */
final class VmcsValues {
    private static final Map<VmcsField, Segment> SELECTORS = Map.of(GUEST_ES_SELECTOR, ES, GUEST_CS_SELECTOR, CS,
            GUEST_SS_SELECTOR, SS, GUEST_DS_SELECTOR, DS, GUEST_FS_SELECTOR, FS, GUEST_GS_SELECTOR, GS,
            GUEST_LDTR_SELECTOR, LDTR, GUEST_TR_SELECTOR, TR);
    private static final Map<VmcsField, Segment> LIMITS = Map.of(GUEST_ES_LIMIT, ES, GUEST_CS_LIMIT, CS,
            GUEST_SS_LIMIT, SS, GUEST_DS_LIMIT, DS, GUEST_FS_LIMIT, FS, GUEST_GS_LIMIT, GS,
            GUEST_LDTR_LIMIT, LDTR, GUEST_TR_LIMIT, TR);
    private static final Map<VmcsField, Segment> ACCESS_RIGHTS = Map.of(GUEST_ES_AR_BYTES, ES, GUEST_CS_AR_BYTES, CS,
            GUEST_SS_AR_BYTES, SS, GUEST_DS_AR_BYTES, DS, GUEST_FS_AR_BYTES, FS, GUEST_GS_AR_BYTES, GS,
            GUEST_LDTR_AR_BYTES, LDTR, GUEST_TR_AR_BYTES, TR);
    private static final Map<VmcsField, Segment> BASES = Map.of(GUEST_ES_BASE, ES, GUEST_CS_BASE, CS,
            GUEST_SS_BASE, SS, GUEST_DS_BASE, DS, GUEST_FS_BASE, FS, GUEST_GS_BASE, GS,
            GUEST_LDTR_BASE, LDTR, GUEST_TR_BASE, TR);

    private VmcsValues() {
    }

    static FieldValue resolve(VmcsField f, GuestFacts g, ExitInfo x) {
        if (f.area() == Area.EXIT_INFO) {
            return x.vmcs(f);
        }
        if (f.provenance() == Provenance.NOT_VISIBLE) {
            return FieldValue.notVisible(f.source().text());
        }
        if (SELECTORS.containsKey(f)) {
            return g.selector(SELECTORS.get(f));
        }
        if (LIMITS.containsKey(f)) {
            return g.limit(LIMITS.get(f));
        }
        if (ACCESS_RIGHTS.containsKey(f)) {
            return g.vmxAccessRights(ACCESS_RIGHTS.get(f));
        }
        if (BASES.containsKey(f)) {
            return g.base(BASES.get(f));
        }
        return switch (f) {
            case GUEST_GDTR_LIMIT -> g.gdtrLimit();
            case GUEST_IDTR_LIMIT -> g.idtrLimit();
            case GUEST_GDTR_BASE -> g.gdtrBase();
            case GUEST_IDTR_BASE -> g.idtrBase();
            case GUEST_CR0 -> g.cr0();
            case GUEST_CR3 -> g.cr3();
            case GUEST_CR4 -> g.cr4();
            case GUEST_DR7 -> g.dr7();
            case GUEST_RSP -> g.rsp();
            case GUEST_RIP -> g.rip();
            case GUEST_RFLAGS -> g.rflags();
            case GUEST_IA32_EFER -> g.efer();
            case GUEST_IA32_PAT -> g.msr(Msr.PAT);
            case GUEST_IA32_DEBUGCTL -> g.msr(Msr.DEBUGCTL);
            case GUEST_SYSENTER_CS -> g.msr(Msr.SYSENTER_CS);
            case GUEST_SYSENTER_ESP -> g.msr(Msr.SYSENTER_ESP);
            case GUEST_SYSENTER_EIP -> g.msr(Msr.SYSENTER_EIP);
            case GUEST_INTERRUPTIBILITY_INFO -> g.vmxInterruptibility();
            case GUEST_ACTIVITY_STATE -> g.vmxActivity();
            case VMCS_LINK_POINTER -> FieldValue.derived(-1L, f.source().text());
            case CR0_READ_SHADOW -> FieldValue.derived(g.state().cr0(), f.source().text());
            case CR4_READ_SHADOW -> FieldValue.derived(g.state().cr4(), f.source().text());
            case GUEST_PDPTR0, GUEST_PDPTR1, GUEST_PDPTR2, GUEST_PDPTR3 -> g.paePaging()
                    ? FieldValue.notCaptured(f.source().text())
                    : FieldValue.notApplicable("used only with PAE paging outside long mode; the guest is not in that mode");
            default -> {
                if (f.provenance() == Provenance.NOT_CAPTURED) {
                    yield FieldValue.notCaptured(f.source().text());
                }
                throw new IllegalStateException("no value rule for " + f);
            }
        };
    }
}
