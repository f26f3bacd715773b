package dev.vmscope.app.ui.registers;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The registers a walkthrough step's text talks about, as the register pane names its rows: "EBX" and "BL" are
 * row RBX, "SP" is RSP, "IP" is RIP, "CS" is the segment. Only capitals count, the way the texts name registers
 * ("out dx, al" quotes an instruction; "AL still holds the character" names a register). In text order, each once.
 */
public final class StepRegisters {
    private static final Pattern WORD = Pattern.compile(
            "\\b(?:[RE]?(?:AX|BX|CX|DX|SI|DI|SP|BP)|[ABCD][LH]|R(?:[89]|1[0-5])[DWB]?|[RE]?IP|[RE]?FLAGS"
                    + "|[CDEFGS]S|TR|LDTR|CR[02348]|EFER|GDTR?|IDTR?|DR[0-7])\\b");
    private static final Map<String, String> GPR = Map.of("A", "RAX", "B", "RBX", "C", "RCX", "D", "RDX");

    private StepRegisters() {
    }

    /** The row names {@code text} mentions (empty for null). */
    public static List<String> in(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text != null) {
            Matcher m = WORD.matcher(text);
            while (m.find()) {
                out.add(row(m.group()));
            }
        }
        return List.copyOf(out);
    }

    private static String row(String w) {
        if (w.matches("[ABCD][LH]")) {
            return GPR.get(w.substring(0, 1));
        }
        if (w.matches("R(?:[89]|1[0-5])[DWB]")) {
            return w.substring(0, w.length() - 1);
        }
        if (w.matches("[RE]?(?:AX|BX|CX|DX|SI|DI|SP|BP|IP)")) {
            return "R" + w.substring(w.length() - 2);
        }
        if (w.endsWith("FLAGS")) {
            return "RFLAGS";
        }
        if (w.startsWith("GDT") || w.startsWith("IDT")) {
            return w.substring(0, 3) + "R.base";
        }
        return w;
    }
}
