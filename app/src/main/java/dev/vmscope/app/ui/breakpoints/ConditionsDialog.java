package dev.vmscope.app.ui.breakpoints;

import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A small form for one exit reason's conditions: the fields that reason understands (port range and
 * direction for IO, address range and direction for MMIO, MSR index for RDMSR/WRMSR) plus vCPU, RIP range and
 * hit count. It edits the same text as the inline field ({@link #parse} and {@link #compose} convert), and
 * leaves validation to the engine, whose error shows under the row.
 */
final class ConditionsDialog {
    /** The conditions split into the form's fields; words the form has no field for stay in {@code other}. */
    record Fields(String range, String direction, String vcpu, String rip, String hit, String other) {
    }

    private ConditionsDialog() {
    }

    /** The key of the reason's range field (port, addr, index), or null when it has none. */
    static String rangeKey(String reason) {
        return switch (reason) {
            case "IO" -> "port";
            case "MMIO" -> "addr";
            case "RDMSR", "WRMSR" -> "index";
            default -> null;
        };
    }

    /** The directions the reason can be limited to ({@code any} first), or none. */
    static List<String> directions(String reason) {
        return switch (reason) {
            case "IO" -> List.of("any", "in", "out");
            case "MMIO" -> List.of("any", "read", "write");
            default -> List.of();
        };
    }

    static Fields parse(String reason, String conditions) {
        String rangeKey = rangeKey(reason);
        Map<String, String> kv = new LinkedHashMap<>();
        String direction = "any";
        List<String> other = new ArrayList<>();
        for (String w : conditions.trim().split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            String lw = w.toLowerCase(Locale.ROOT);
            int eq = lw.indexOf('=');
            if (eq < 0 && directions(reason).contains(lw)) {
                direction = lw;
                continue;
            }
            String key = eq < 0 ? "" : lw.substring(0, eq);
            if (key.equals("cpu")) {
                key = "vcpu";
            } else if (key.equals("count")) {
                key = "hit";
            } else if (key.equals("address") || key.equals("gpa") || key.equals("msr")) {
                key = rangeKey;
            }
            if (eq > 0 && key != null && (key.equals(rangeKey) || key.equals("vcpu") || key.equals("rip")
                    || key.equals("hit")) && !kv.containsKey(key)) {
                kv.put(key, w.substring(eq + 1));
            } else {
                other.add(w);
            }
        }
        return new Fields(rangeKey == null ? "" : kv.getOrDefault(rangeKey, ""), direction,
                kv.getOrDefault("vcpu", ""), kv.getOrDefault("rip", ""), kv.getOrDefault("hit", ""),
                String.join(" ", other));
    }

    static String compose(String reason, Fields f) {
        List<String> w = new ArrayList<>();
        String rangeKey = rangeKey(reason);
        if (rangeKey != null && !f.range().isBlank()) {
            w.add(rangeKey + "=" + f.range().trim());
        }
        if (!f.direction().isBlank() && !f.direction().equals("any")) {
            w.add(f.direction());
        }
        if (!f.vcpu().isBlank()) {
            w.add("vcpu=" + f.vcpu().trim());
        }
        if (!f.rip().isBlank()) {
            w.add("rip=" + f.rip().trim());
        }
        if (!f.hit().isBlank()) {
            w.add("hit=" + f.hit().trim());
        }
        if (!f.other().isBlank()) {
            w.add(f.other().trim());
        }
        return String.join(" ", w);
    }

    /** Shows the form for {@code row} filled from {@code current}; the new conditions, or empty on Cancel. */
    static Optional<String> edit(ReasonBreakpoint row, String current, Window owner) {
        String reason = row.name();
        Fields f = parse(reason, current == null ? "" : current);
        Dialog<String> d = new Dialog<>();
        d.setTitle("Break on " + reason);
        d.setHeaderText("Stop at " + reason + " exits that meet every condition (leave a field empty for any)");
        if (owner != null) {
            d.initOwner(owner);
        }
        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        int y = 0;
        String rangeKey = rangeKey(reason);
        TextField range = new TextField(f.range());
        if (rangeKey != null) {
            range.setPromptText(switch (rangeKey) {
                case "port" -> "0x3f8 or 0x3f8-0x3ff";
                case "addr" -> "0xd0000000 or 0xd0000000-0xd0000fff";
                default -> "0x10 or 0xc0000080-0xc0000084";
            });
            g.addRow(y++, new Label(switch (rangeKey) {
                case "port" -> "Port";
                case "addr" -> "Guest-physical address";
                default -> "MSR index";
            }), range);
        }
        ChoiceBox<String> direction = new ChoiceBox<>();
        if (!directions(reason).isEmpty()) {
            direction.getItems().setAll(directions(reason));
            direction.setValue(f.direction());
            g.addRow(y++, new Label("Direction"), direction);
        }
        TextField vcpu = new TextField(f.vcpu());
        vcpu.setPromptText("any vCPU");
        g.addRow(y++, new Label("vCPU"), vcpu);
        TextField rip = new TextField(f.rip());
        rip.setPromptText("0x1000 or 0x1000-0x10ff");
        g.addRow(y++, new Label("RIP"), rip);
        TextField hit = new TextField(f.hit());
        hit.setPromptText("stop from the Nth match on");
        g.addRow(y++, new Label("Hit count"), hit);
        TextField other = new TextField(f.other());
        other.setPromptText("more conditions in the inline syntax");
        g.addRow(y, new Label("Other"), other);
        d.getDialogPane().setContent(g);
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? compose(reason, new Fields(range.getText(),
                direction.getValue() == null ? "any" : direction.getValue(), vcpu.getText(), rip.getText(),
                hit.getText(), other.getText())) : null);
        return d.showAndWait();
    }
}
