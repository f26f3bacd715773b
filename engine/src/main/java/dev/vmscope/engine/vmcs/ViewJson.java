package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.trace.Json;

import java.util.List;
import java.util.Set;

/**
 * JSON for a VMCS or VMCB view (written by hand, no library). Values are hex strings because JSON numbers
 * cannot carry 64 bits; a field without a value has {@code "value": null} and its reason in {@code "note"}.
 */
public final class ViewJson {
    private ViewJson() {
    }

    public static String vmcs(VmcsFieldView view) {
        return vmcs(view, Set.of(Area.values()), false);
    }

    public static String vmcs(VmcsFieldView view, Set<Area> areas, boolean includeHigh) {
        return document("vmcs", "encoding", view.record(), view.exitInfo(), view.rows(areas, includeHigh));
    }

    public static String vmcb(VmcbFieldView view) {
        return vmcb(view, Set.of(VmcbField.Area.values()));
    }

    public static String vmcb(VmcbFieldView view, Set<VmcbField.Area> areas) {
        return document("vmcb", "offset", view.record(), view.exitInfo(), view.rows(areas));
    }

    private static String document(String kind, String locationKey, ExitRecord r, ExitInfo info, List<ViewRow> rows) {
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("{\n  \"view\": ").append(Json.quote(kind))
                .append(",\n  \"seq\": ").append(r.seq())
                .append(",\n  \"vcpu\": ").append(r.vcpu())
                .append(",\n  \"timeNs\": ").append(r.timeNs())
                .append(",\n  \"guestNs\": ").append(r.guestNs())
                .append(",\n  \"snapshot\": ").append(Json.quote(r.state().isFull() ? "full" : "fast"))
                .append(",\n  \"exit\": ");
        exit(b, info);
        b.append(",\n  \"explanations\": [");
        List<Explanation> ex = ExitExplanations.forExit(info);
        for (int i = 0; i < ex.size(); i++) {
            Explanation e = ex.get(i);
            b.append(i == 0 ? "\n    " : ",\n    ").append("{\"title\": ").append(Json.quote(e.title()))
                    .append(", \"guestDid\": ").append(Json.quote(e.guestDid()))
                    .append(", \"whyExit\": ").append(Json.quote(e.whyExit()))
                    .append(", \"hypervisorNext\": ").append(Json.quote(e.hypervisorNext()))
                    .append(", \"readMore\": ").append(Json.quote(e.readMore())).append('}');
        }
        b.append(ex.isEmpty() ? "]" : "\n  ]").append(",\n  \"fields\": [");
        for (int i = 0; i < rows.size(); i++) {
            b.append(i == 0 ? "\n    " : ",\n    ");
            row(b, locationKey, rows.get(i));
        }
        return b.append(rows.isEmpty() ? "]" : "\n  ]").append("\n}\n").toString();
    }

    private static void exit(StringBuilder b, ExitInfo info) {
        b.append("{\"kvm\": ").append(Json.quote(info.exit().reason().name()))
                .append(", \"detail\": ").append(Json.quote(info.exit().detail()))
                .append(", \"vmx\": ");
        if (info.vmxReason().isPresent()) {
            b.append("{\"reason\": ").append(info.vmxReason().getAsInt()).append(", \"name\": ").append(Json.quote(info.vmxReasonName())).append('}');
        } else {
            b.append("null, \"noVmx\": ").append(Json.quote(info.noVmxReason()));
        }
        b.append(", \"svm\": ");
        if (info.svmExitCode().isPresent()) {
            b.append("{\"code\": ").append(Json.quote(hex(info.svmExitCode().getAsLong()))).append(", \"name\": ")
                    .append(Json.quote(info.svmExitName())).append('}');
        } else {
            b.append("null, \"noSvm\": ").append(Json.quote(info.noSvmReason()));
        }
        b.append(", \"notes\": [");
        for (int i = 0; i < info.notes().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(Json.quote(info.notes().get(i)));
        }
        b.append("]}");
    }

    private static void row(StringBuilder b, String locationKey, ViewRow r) {
        FieldValue v = r.value();
        b.append("{\"").append(locationKey).append("\": ").append(Json.quote(r.location()))
                .append(", \"name\": ").append(Json.quote(r.name()))
                .append(", \"area\": ").append(Json.quote(r.area()))
                .append(", \"width\": ").append(Json.quote(r.width()))
                .append(", \"provenance\": ").append(Json.quote(v.provenance().label()))
                .append(", \"value\": ").append(v.hasValue() ? Json.quote(hex(v.value())) : "null");
        if (v.unknownMask() != 0) {
            b.append(", \"unknownMask\": ").append(Json.quote(hex(v.unknownMask())));
        }
        b.append(", \"note\": ").append(Json.quote(v.note()))
                .append(", \"description\": ").append(Json.quote(r.description()));
        if (r.decoded() != null) {
            b.append(", \"decoded\": [");
            List<DecodedBits> bits = r.decoded().bits();
            for (int i = 0; i < bits.size(); i++) {
                DecodedBits d = bits.get(i);
                b.append(i == 0 ? "" : ", ").append("{\"bits\": ").append(Json.quote(d.range()))
                        .append(", \"name\": ").append(Json.quote(d.name()))
                        .append(", \"known\": ").append(d.known())
                        .append(", \"value\": ").append(d.known() ? Json.quote(hex(d.value())) : "null");
                if (d.valueText() != null) {
                    b.append(", \"text\": ").append(Json.quote(d.valueText()));
                }
                b.append(", \"meaning\": ").append(Json.quote(d.meaning())).append('}');
            }
            b.append(']');
        }
        b.append('}');
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
