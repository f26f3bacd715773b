package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.StateLayout.Msr;
import dev.vmscope.engine.exit.StateLayout.Segment;

import java.util.EnumMap;
import java.util.Map;

import static dev.vmscope.engine.vmcs.VmcbField.*;

/** Decides the value of each VMCB field for one exit; same facts as the VMCS view, SVM layout. */
final class VmcbValues {
    private enum Part { SELECTOR, ATTRIB, LIMIT, BASE }

    private record SegmentPart(Segment segment, Part part) {
    }

    private static final Map<VmcbField, SegmentPart> SEGMENT_PARTS = new EnumMap<>(VmcbField.class);

    static {
        Object[][] table = {
                {ES_SELECTOR, ES_ATTRIB, ES_LIMIT, ES_BASE, Segment.ES},
                {CS_SELECTOR, CS_ATTRIB, CS_LIMIT, CS_BASE, Segment.CS},
                {SS_SELECTOR, SS_ATTRIB, SS_LIMIT, SS_BASE, Segment.SS},
                {DS_SELECTOR, DS_ATTRIB, DS_LIMIT, DS_BASE, Segment.DS},
                {FS_SELECTOR, FS_ATTRIB, FS_LIMIT, FS_BASE, Segment.FS},
                {GS_SELECTOR, GS_ATTRIB, GS_LIMIT, GS_BASE, Segment.GS},
                {LDTR_SELECTOR, LDTR_ATTRIB, LDTR_LIMIT, LDTR_BASE, Segment.LDTR},
                {TR_SELECTOR, TR_ATTRIB, TR_LIMIT, TR_BASE, Segment.TR}};
        for (Object[] row : table) {
            Segment s = (Segment) row[4];
            for (int i = 0; i < 4; i++) {
                SEGMENT_PARTS.put((VmcbField) row[i], new SegmentPart(s, Part.values()[i]));
            }
        }
    }

    private VmcbValues() {
    }

    static FieldValue resolve(VmcbField f, GuestFacts g, ExitInfo x) {
        if (ExitInfo.SVM_EXIT_FIELDS.contains(f)) {
            return x.vmcb(f);
        }
        if (f.provenance() == Provenance.NOT_VISIBLE) {
            return FieldValue.notVisible(f.source().text());
        }
        SegmentPart sp = SEGMENT_PARTS.get(f);
        if (sp != null) {
            return switch (sp.part()) {
                case SELECTOR -> g.selector(sp.segment());
                case ATTRIB -> g.svmAttributes(sp.segment());
                case LIMIT -> g.limit(sp.segment());
                case BASE -> g.base(sp.segment());
            };
        }
        return switch (f) {
            case GDTR_LIMIT -> g.gdtrLimit();
            case GDTR_BASE -> g.gdtrBase();
            case IDTR_LIMIT -> g.idtrLimit();
            case IDTR_BASE -> g.idtrBase();
            case INT_STATE -> g.svmIntState();
            case CPL -> g.cpl();
            case EFER -> FieldValue.derived(g.state().efer() | 1 << 12, f.source().text());
            case CR0 -> g.cr0();
            case CR2 -> g.cr2();
            case CR3 -> g.cr3();
            case CR4 -> g.cr4();
            case DR6 -> g.dr6();
            case DR7 -> g.dr7();
            case RFLAGS -> g.rflags();
            case RIP -> g.rip();
            case RSP -> g.rsp();
            case RAX -> g.rax();
            case STAR -> g.msr(Msr.STAR);
            case LSTAR -> g.msr(Msr.LSTAR);
            case CSTAR -> g.msr(Msr.CSTAR);
            case SFMASK -> g.msr(Msr.SFMASK);
            case KERNEL_GS_BASE -> g.msr(Msr.KERNEL_GS_BASE);
            case SYSENTER_CS -> g.msr(Msr.SYSENTER_CS);
            case SYSENTER_ESP -> g.msr(Msr.SYSENTER_ESP);
            case SYSENTER_EIP -> g.msr(Msr.SYSENTER_EIP);
            case G_PAT -> g.msr(Msr.PAT);
            case DBGCTL -> g.msr(Msr.DEBUGCTL);
            default -> {
                if (f.provenance() == Provenance.NOT_CAPTURED) {
                    yield FieldValue.notCaptured(f.source().text());
                }
                throw new IllegalStateException("no value rule for " + f);
            }
        };
    }
}
