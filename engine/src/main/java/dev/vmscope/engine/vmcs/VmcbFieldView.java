package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The same exit as an AMD VMCB: control-area exit fields and the state-save area, attributes in SVM format,
 * with the same provenance rules as {@link VmcsFieldView}. It shows what the VMCB would hold on an AMD host; on an
 * Intel host it is a translation.
 */
public final class VmcbFieldView extends ExitFieldView<VmcbField> {
    private VmcbFieldView(ExitRecord record, byte[] instructionBytes, HardwareExit hardware) {
        super(VmcbField.class, record, instructionBytes, hardware, VmcbValues::resolve, f -> Math.min(64, f.size() * 8));
    }

    public static VmcbFieldView of(ExitRecord record) {
        return of(record, null);
    }

    /** @param instructionBytes up to 15 bytes at the guest's RIP, or null */
    public static VmcbFieldView of(ExitRecord record, byte[] instructionBytes) {
        return of(record, instructionBytes, null);
    }

    /** As {@link VmcsFieldView#of(ExitRecord, byte[], HardwareExit)}. */
    public static VmcbFieldView of(ExitRecord record, byte[] instructionBytes, HardwareExit hardware) {
        return new VmcbFieldView(record, instructionBytes, hardware);
    }

    @Override
    public Optional<BitDecoder> decoder(VmcbField f) {
        BitDecoder d = switch (f) {
            case CR0 -> BitDecoders.CR0;
            case CR4 -> BitDecoders.CR4;
            case EFER -> BitDecoders.EFER;
            case RFLAGS -> BitDecoders.RFLAGS;
            case DR6 -> BitDecoders.DR6;
            case DR7 -> BitDecoders.DR7;
            case G_PAT -> BitDecoders.PAT;
            case DBGCTL -> BitDecoders.DEBUGCTL;
            case INT_STATE -> BitDecoders.SVM_INT_STATE;
            case ES_ATTRIB, CS_ATTRIB, SS_ATTRIB, DS_ATTRIB, FS_ATTRIB, GS_ATTRIB, LDTR_ATTRIB, TR_ATTRIB -> BitDecoders.SVM_ATTRIBUTES;
            case EXIT_INFO_1 -> exitInfo1Decoder();
            default -> null;
        };
        return Optional.ofNullable(d);
    }

    private BitDecoder exitInfo1Decoder() {
        long code = exitInfo().svmExitCode().orElse(Long.MIN_VALUE);
        return code == SvmExitCodes.IOIO ? BitDecoders.SVM_IOIO_INFO1 : code == SvmExitCodes.NPF ? BitDecoders.SVM_NPF_INFO1 : null;
    }

    public List<ViewRow> rows(Set<VmcbField.Area> areas) {
        List<ViewRow> out = new ArrayList<>();
        for (VmcbField f : VmcbField.values()) {
            if (areas.contains(f.area())) {
                int bits = Math.min(64, f.size() * 8);
                out.add(new ViewRow(f.location(), f.name(), bits, f.size() + (f.size() == 1 ? " byte" : " bytes"),
                        f.area().label(), get(f), decoded(f).orElse(null), f.description()));
            }
        }
        return out;
    }

    public List<ViewRow> rows() {
        return rows(Set.of(VmcbField.Area.values()));
    }
}
