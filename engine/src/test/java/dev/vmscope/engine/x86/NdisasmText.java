package dev.vmscope.engine.x86;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Brings ndisasm's text and ours to a common form for comparison: prefix words dropped, ndisasm's spelling
 * variants mapped to ours (cmpeqps is cmpps with an immediate, retfd is retf), size keywords and spacing gone.
 */
final class NdisasmText {
    private static final Set<String> PREFIX_WORDS = Set.of("lock", "rep", "repe", "repne", "repz", "repnz",
            "o16", "o32", "o64", "a16", "a32", "a64", "es", "cs", "ss", "ds", "fs", "gs", "bnd", "xacquire",
            "xrelease");
    /** ndisasm writes the compare predicate into the name (cmpltps); we print it as the immediate. */
    private static final Pattern CMP_PREDICATE = Pattern.compile(
            "(v?)cmp(eq|lt|le|unord|neq|nlt|nle|ord|eq_uq|nge|ngt|false|neq_oq|ge|gt|true|[a-z_]+?)(ps|pd|ss|sd)");
    private static final Pattern PCLMUL = Pattern.compile("(v?)pclmul[lh]q[lh]qdq");
    private static final Pattern SIZE_WORDS = Pattern.compile(
            "\\b(byte|word|dword|qword|tword|oword|yword|zword|far|near|short|to|rel)\\b ?");

    private NdisasmText() {
    }

    /** The mnemonic without prefix words, ndisasm spellings mapped to ours. */
    static String mnemonic(String text) {
        String[] t = text.split(" ");
        for (int i = 0; i < t.length; i++) {
            // ndisasm sometimes shows a stray "wait" among the prefixes (26 48 AF: "es wait scasq")
            boolean prefix = PREFIX_WORDS.contains(t[i]) || t[i].equals("wait") && i + 1 < t.length;
            if (!prefix) {
                return canonical(t[i]);
            }
        }
        return "";
    }

    private static String canonical(String m) {
        var c = CMP_PREDICATE.matcher(m);
        if (c.matches() && !m.equals("cmpsd") && !m.equals("cmpss") && !m.equals("cmpps") && !m.equals("cmppd")) {
            return c.group(1) + "cmp" + c.group(3);
        }
        if (PCLMUL.matcher(m).matches()) {
            return m.startsWith("v") ? "vpclmulqdq" : "pclmulqdq";
        }
        return switch (m) {
            case "retfw", "retfd", "retfq" -> "retf";
            case "iretw", "iretd" -> "iret";   // both sides: ndisasm says iret for CF in 32-bit code
            case "vmovqqa" -> "vmovdqa";          // NASM's name for the 256-bit form
            case "vmovqqu" -> "vmovdqu";
            case "icebp" -> "int1";
            case "fwait" -> "wait";
            case "pushfw", "pushfd", "pushfq" -> "pushf";   // ndisasm names the default size without suffix
            case "popfw", "popfd", "popfq" -> "popf";
            case "pushaw", "pushad" -> "pusha";
            case "popaw", "popad" -> "popa";
            default -> m;
        };
    }

    /** ndisasm wrote the immediate into the name (cmpltps, pclmulhqlqdq), so its operands lack it. */
    static boolean immediateInName(String text) {
        String m = text.split(" ")[0];
        return !mnemonic(text).equals(m) && (CMP_PREDICATE.matcher(m).matches() || PCLMUL.matcher(m).matches());
    }

    /** Operands without size keywords and blanks; "+0x5" (ndisasm's sign-extended byte) as "0x5". */
    static String operands(String text) {
        String[] t = text.split(" ", -1);
        int i = 0;
        while (i < t.length && (PREFIX_WORDS.contains(t[i]) || t[i].equals("wait") && i + 1 < t.length)) {
            i++;
        }
        StringBuilder ops = new StringBuilder();
        for (int j = i + 1; j < t.length; j++) {
            ops.append(t[j]).append(' ');
        }
        String s = SIZE_WORDS.matcher(ops.toString()).replaceAll("").replace(" ", "");
        return s.replaceAll("(^|,)\\+", "$1");
    }
}
