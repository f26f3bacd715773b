package dev.vmscope.app.ui.vmcs;

import dev.vmscope.app.ui.kernel.KernelActivity;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.vmcs.Decoded;
import dev.vmscope.engine.vmcs.ExitInfo;
import dev.vmscope.engine.vmcs.Explanation;
import dev.vmscope.engine.vmcs.FieldValue;
import dev.vmscope.engine.vmcs.ValueFormat;
import dev.vmscope.engine.vmcs.VmcsField;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.ArrayList;
import java.util.List;

/**
 * The "Why this exit happened" pane's model: for the selected exit, the plain-language explanations of its
 * KVM exit and of the VMX exit behind it (what the guest did, why the processor left it, what happens next,
 * where to read more), and the exit qualification read out in words. Fed by {@link ExitDetailsViewModel}; no nodes.
 */
public final class ExplanationViewModel {
    /**
     * What the pane shows, as text.
     *
     * @param headline          "Exit #3 · vCPU 0 · KVM IO → VMX 30 IO_INSTRUCTION · SVM 0x7B IOIO"
     * @param reported          what KVM reported, e.g. "out 0x3f8 size 1 = 0x48 'H'", and what it means
     * @param qualification     "Exit qualification 0x0000000003F80000 (derived)" or why there is none
     * @param qualificationText the qualification in words (a sentence for I/O, else its parts), or ""
     * @param notes             what the reader should know about how the exit was mapped
     * @param placeholder       shown instead of all of it when there is no exit to explain; else null
     * @param kernelHeading     what the kernel did since the vCPU's previous exit, in one line (how many events,
     *                          or why there are none)
     * @param kernel            those kernel events, one line each (the latest {@link KernelActivity#SHOWN})
     */
    public record Content(String headline, String reported, List<Explanation> explanations, String qualification,
                          String qualificationText, List<String> notes, String placeholder, String kernelHeading,
                          List<String> kernel) {
        public Content {
            explanations = List.copyOf(explanations);
            notes = List.copyOf(notes);
            kernel = List.copyOf(kernel);
        }

        static Content empty(String why) {
            return new Content("", "", List.of(), "", "", List.of(), why, "", List.of());
        }

        /** Every line of the pane, for copying and tests. */
        public String text() {
            if (placeholder != null) {
                return placeholder;
            }
            StringBuilder b = new StringBuilder(headline).append('\n').append(reported).append('\n');
            for (Explanation e : explanations) {
                b.append(e.title()).append('\n').append(e.guestDid()).append('\n').append(e.whyExit()).append('\n')
                        .append(e.hypervisorNext()).append('\n').append(e.readMore()).append('\n');
            }
            b.append(qualification).append('\n').append(qualificationText).append('\n');
            notes.forEach(n -> b.append(n).append('\n'));
            b.append(kernelHeading).append('\n');
            kernel.forEach(n -> b.append(n).append('\n'));
            return b.toString();
        }
    }

    private final ExitDetailsViewModel model;
    private final ReadOnlyObjectWrapper<Content> content =
            new ReadOnlyObjectWrapper<>(this, "content", Content.empty("select an exit"));

    public ExplanationViewModel(ExitDetailsViewModel model) {
        this.model = model;
        model.detailsProperty().addListener(o -> update());
        update();
    }

    public ReadOnlyObjectProperty<Content> contentProperty() {
        return content.getReadOnlyProperty();
    }

    public Content content() {
        return content.get();
    }

    private void update() {
        ExitDetails d = model.details();
        if (d == null) {
            content.set(Content.empty("select an exit"));
        } else if (!d.available()) {
            content.set(Content.empty(d.problem()));
        } else {
            content.set(of(d));
        }
    }

    static Content of(ExitDetails d) {
        ExitRecord r = d.record();
        ExitInfo info = d.vmcs().exitInfo();
        String headline = "Exit #" + d.seq() + " · vCPU " + r.vcpu() + " · " + info.summary().replace(" -> ", " → ");
        String reported = "KVM reported: " + r.exit().detail();
        if (r.exit() instanceof KvmExit.Io io) {
            reported += " — " + QualificationWords.ioData(io);
        }
        FieldValue q = d.vmcs().get(VmcsField.EXIT_QUALIFICATION);
        String qualification;
        String words = "";
        if (q.hasValue()) {
            qualification = "Exit qualification " + ValueFormat.hex(q, 64) + " (" + q.provenance().label() + ")";
            Decoded dq = d.vmcs().decoded(VmcsField.EXIT_QUALIFICATION).orElse(null);
            if (QualificationWords.isIo(dq)) {
                words = QualificationWords.io(dq);
            } else if (dq != null) {
                words = String.join(" · ", QualificationWords.parts(dq));
                if (words.isEmpty()) {
                    words = "no bit set";
                }
            } else {
                words = "vmscope has no bit layout for this exit's qualification.";
            }
        } else {
            qualification = "Exit qualification: " + q.provenance().label() + " — " + q.note();
        }
        List<String> notes = new ArrayList<>(info.notes());
        if (!info.noVmxReason().isEmpty()) {
            notes.add("No VMX exit behind it: " + info.noVmxReason());
        }
        KernelActivity k = d.kernel();
        String kernelHeading = k == null ? "" : k.heading(r.vcpu());
        List<String> kernel = k == null ? List.of() : k.lines(r.timeNs());
        return new Content(headline, reported, d.explanations(), qualification, words, notes, null, kernelHeading,
                kernel);
    }
}
