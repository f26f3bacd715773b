package dev.vmscope.app.cli;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.vmcs.Area;
import dev.vmscope.engine.vmcs.ExitExplanations;
import dev.vmscope.engine.vmcs.FieldChange;
import dev.vmscope.engine.vmcs.HardwareExit;
import dev.vmscope.engine.vmcs.ViewJson;
import dev.vmscope.engine.vmcs.ViewText;
import dev.vmscope.engine.vmcs.VmcbField;
import dev.vmscope.engine.vmcs.VmcbFieldView;
import dev.vmscope.engine.vmcs.VmcsDiff;
import dev.vmscope.engine.vmcs.VmcsFieldView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code vmscope vmcs GUEST-OR-TRACE --exit N}: the VMCS-shaped view of one exit (or the VMCB one), every
 * field with its provenance, optionally as the difference from another exit.
 */
@Command(name = "vmcs", mixinStandardHelpOptions = true,
        description = "Show exit N as VMCS fields (encoding, name, value, decoded, provenance), from a guest run live"
                + " or a recorded trace.")
public final class VmcsCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guest;

    @Option(names = "--exit", paramLabel = "N", required = true, description = "The exit to show (its seq number).")
    long exit;

    @Option(names = "--area", paramLabel = "AREA", defaultValue = "all",
            description = "guest, host, control, exit or all (default ${DEFAULT-VALUE}).")
    String area;

    @Option(names = "--vmcb", description = "Lay the same state out as AMD's VMCB instead.")
    boolean vmcb;

    @Option(names = "--diff", paramLabel = "M", arity = "0..1", fallbackValue = "-1",
            description = "Show only what changed since exit M (default: the previous exit of the same vCPU).")
    Long diff;

    @Option(names = "--high", description = "Also list the HIGH halves of 64-bit fields.")
    boolean high;

    @Option(names = "--sources", description = "Add a column saying where each value came from.")
    boolean sources;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (exit < 0) {
            throw new IllegalArgumentException("--exit must be 0 or more");
        }
        try (ExitSourceOpener.Opened opened = ExitSourceOpener.open(guest, Math.max(exit, diff == null ? 0 : diff) + 1,
                spec.commandLine().getErr())) {
            if (opened == null) {
                return VmscopeCommand.EXIT_USAGE;   // the reason is already on stderr, in one line
            }
            ExitRecord record = opened.source().get(exit);
            if (record == null) {
                throw new IllegalArgumentException("there is no exit " + exit + " (" + opened.source().size()
                        + " exits" + opened.why() + ")");
            }
            byte[] insn = opened.instructionBytes(record);
            HardwareExit hw = HardwareExit.before(opened.source(), record);
            if (vmcb) {
                VmcbFieldView v = VmcbFieldView.of(record, insn, hw);
                out.print(json ? ViewJson.vmcb(v, vmcbAreas()) + "\n" : ViewText.vmcb(v, vmcbAreas(), sources));
                return 0;
            }
            VmcsFieldView view = VmcsFieldView.of(record, insn, hw);
            if (diff != null) {
                ExitRecord before = diff >= 0 ? opened.source().get(diff) : previousOnSameVcpu(opened, record);
                if (before == null) {
                    throw new IllegalArgumentException(diff >= 0 ? "there is no exit " + diff
                            : "exit " + exit + " is the first of vCPU " + record.vcpu() + ": nothing to diff against");
                }
                List<FieldChange> changes = VmcsDiff.between(VmcsFieldView.of(before, opened.instructionBytes(before),
                        HardwareExit.before(opened.source(), before)), view, areas());
                out.printf("exit #%d vs #%d (vCPU %d): %d field(s) changed%n", record.seq(), before.seq(),
                        record.vcpu(), changes.size());
                out.print(VmcsDiff.render(changes));
                return 0;
            }
            if (json) {
                out.println(ViewJson.vmcs(view, areas(), high));
            } else {
                out.print(ViewText.vmcs(view, areas(), high, sources, opened.source().symbols()));
                out.println(ViewText.provenanceSummary(view));
                out.println();
                ExitExplanations.forExit(view.exitInfo()).forEach(e -> out.println(e.text()));
            }
            return 0;
        }
    }

    private static ExitRecord previousOnSameVcpu(ExitSourceOpener.Opened opened, ExitRecord r) {
        long p = opened.source().columns().previousOfVcpu(r.vcpu(), r.seq(), Long.MAX_VALUE);
        return p < 0 ? null : opened.source().get(p);
    }

    private Set<Area> areas() {
        return Area.parse(area);
    }

    private Set<VmcbField.Area> vmcbAreas() {
        return switch (area.toLowerCase(Locale.ROOT)) {
            case "all" -> EnumSet.allOf(VmcbField.Area.class);
            case "guest", "save" -> EnumSet.of(VmcbField.Area.SAVE);
            case "control", "controls", "exit" -> EnumSet.of(VmcbField.Area.CONTROL);
            default -> throw new IllegalArgumentException("unknown VMCB area '" + area + "' (save, control, all)");
        };
    }
}
