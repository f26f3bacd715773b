package dev.vmscope.engine.x86;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The decoder against NASM and ndisasm: (1) thousands of random valid instructions assembled by NASM, whose
 * listing says exactly where each instruction starts and ends, decoded by us and by ndisasm; (2) every sample
 * image, decoded in all three modes by both disassemblers, instruction boundaries compared.
 */
class NdisasmCrossCheckTest {
    private static final long ORIGIN = 0x1000;
    private static final int PER_MODE = 1500;
    private static final long SEED = Long.getLong("x86.crosscheck.seed", 0x5EED_86L);
    private static final int LIST_LIMIT = Integer.getInteger("x86.crosscheck.list", 40);
    /** -Dx86.crosscheck.verbose=true also lists the known, accepted differences. */
    private static final boolean VERBOSE = Boolean.getBoolean("x86.crosscheck.verbose");

    @TempDir
    Path tmp;

    @BeforeAll
    static void tools() {
        assumeTrue(NasmTools.available(), "nasm/ndisasm not installed: skipping the ndisasm cross-check");
    }

    @Test
    void randomInstructionsMatchNasmAndNdisasm() throws Exception {
        Report total = new Report();
        for (int bits : new int[]{16, 32, 64}) {
            List<String> lines = RandomInstructions.generate(bits, PER_MODE, new Random(SEED + bits));
            String source = "bits " + bits + "\n" + String.join("\n", lines) + "\n";
            NasmTools.Assembled asm = NasmTools.assemble(source, tmp);
            assertThat(asm.lines()).as("listing lines, %d-bit", bits).hasSize(PER_MODE);
            List<NasmTools.Line> nd = NasmTools.ndisasm(asm.image(), bits, ORIGIN, tmp);
            total.add(compare(asm, nd, bits));
        }
        System.out.println("[x86 cross-check] random instructions: " + total);
        assertThat(total.lengthMismatches).as("lengths differing from NASM's encoding").isEmpty();
        assertThat(total.ndisasmBoundary).as("boundaries differing from ndisasm where ndisasm agrees with NASM")
                .isEmpty();
        assertThat(total.mnemonicMismatches).as("mnemonics differing from ndisasm").isEmpty();
        assertThat(total.operandMismatches).as("operands differing from ndisasm").isEmpty();
    }

    /** Per NASM listing line: our length must be NASM's; ndisasm's name and operands must match ours. */
    private static Report compare(NasmTools.Assembled asm, List<NasmTools.Line> nd, int bits) {
        Report r = new Report();
        X86Decoder decoder = new X86Decoder(bits);
        java.util.Map<Integer, NasmTools.Line> byOffset = new java.util.HashMap<>();
        for (NasmTools.Line l : nd) {
            byOffset.put(l.offset(), l);
        }
        byte[] image = asm.image();
        for (NasmTools.Line truth : asm.lines()) {
            r.instructions++;
            X86Insn ours = decoder.decode(image, truth.offset(), image.length, ORIGIN + truth.offset());
            String where = bits + "-bit " + hex(truth.bytes()) + " (" + truth.text() + ")";
            if (ours == null || ours.length() != truth.bytes().length) {
                r.lengthMismatches.add(where + ": ours " + (ours == null ? "truncated" : ours.length() + " " + ours.text()));
                continue;
            }
            NasmTools.Line theirs = byOffset.get(truth.offset());
            if (theirs == null || theirs.bytes().length != truth.bytes().length) {
                r.ndisasmDisagreesWithNasm.add(where + ": ndisasm " + (theirs == null ? "-" : theirs.text()));
                continue;
            }
            r.boundariesCompared++;
            if (theirs.text().startsWith("db ")) {
                r.ndisasmUnknown.add(where);
                continue;
            }
            if (nopSpelledAsXchg(ours, theirs.text())) {
                r.mnemonicsCompared++;
                continue;
            }
            if (!NdisasmText.mnemonic(ours.text()).equals(NdisasmText.mnemonic(theirs.text()))) {
                r.mnemonicMismatches.add(where + ": ours " + ours.text() + " | ndisasm " + theirs.text());
                continue;
            }
            r.mnemonicsCompared++;
            String ourOps = comparableOperands(ours);
            if (ourOps == null) {
                continue;
            }
            String theirOps = NdisasmText.operands(theirs.text());
            if (NdisasmText.immediateInName(theirs.text())) {
                ourOps = ourOps.replaceFirst(",0x[0-9a-f]+$", "");
            }
            if (ourOps.equals(theirOps)) {
                r.operandsCompared++;
            } else if (styleDifference(ours, ourOps, theirOps)) {
                r.operandStyle.add(where + ": ours " + ours.text() + " | ndisasm " + theirs.text());
            } else {
                r.operandMismatches.add(where + ": ours " + ours.text() + " | ndisasm " + theirs.text());
            }
        }
        return r;
    }

    /** 66 90 and REX.W 90 are nop for the CPU; ndisasm spells out the exchange. */
    private static boolean nopSpelledAsXchg(X86Insn ours, String theirs) {
        return ours.mnemonic().equals("nop") && theirs.matches("xchg (ax,ax|eax,eax|rax,rax)");
    }

    /**
     * Known, deliberate differences in how operands are printed: (1) pinsrb/pinsrw/lar/lsl take r32 as the SDM
     * writes it, ndisasm prints the register at the width of the memory form (bpl, r9w); (2) ndisasm prints an
     * xmm register for a 16-bit-addressed memory operand in a few F2/F3 0F forms (movq, cvttsd2si).
     */
    private static boolean styleDifference(X86Insn ours, String ourOps, String theirOps) {
        String m = ours.mnemonic();
        if (m.equals("pinsrb") || m.equals("pinsrw") || m.equals("lar") || m.equals("lsl")) {
            return ourOps.split(",")[0].equals(theirOps.split(",")[0]);
        }
        return ours.addressSize() == 16 && ourOps.contains("[") && !theirOps.contains("[");
    }

    /** Our operands in ndisasm's shape, or null where the two print differently by design. */
    private static String comparableOperands(X86Insn x) {
        boolean x87Register = x.opcodeMap() == 0 && x.opcode() >= 0xD8 && x.opcode() <= 0xDF && x.mod() == 3;
        if (x87Register || x.has(X86Insn.EVEX)) {
            return null;   // ndisasm: "fadd to st1", "fsubp st1"; EVEX operands are not printed by us
        }
        String ops = x.operands();
        if (x.ripRelative()) {
            ops = ops.replaceAll("rip[-+]0x[0-9a-f]+", "0x" + Long.toHexString(x.ripTarget()));
        }
        return NdisasmText.operands("x " + ops);
    }

    @Test
    void sampleImagesMatchNdisasm() throws Exception {
        Path samples = Path.of(System.getProperty("vmscope.samples", "../samples"));
        assumeTrue(Files.isDirectory(samples), "no samples directory at " + samples.toAbsolutePath());
        List<Path> images;
        try (Stream<Path> s = Files.walk(samples, 2)) {
            images = s.filter(p -> p.toString().endsWith(".bin")).sorted().toList();
        }
        assumeTrue(!images.isEmpty(), "no sample images");
        int agreed = 0;
        List<String> explained = new ArrayList<>();
        List<String> unexplained = new ArrayList<>();
        for (Path image : images) {
            byte[] code = Files.readAllBytes(image);
            for (int bits : new int[]{16, 32, 64}) {
                agreed += compareBoundaries(code, bits, image.getFileName() + " " + bits + "-bit", explained,
                        unexplained);
            }
        }
        System.out.printf("[x86 cross-check] %d sample images x 3 modes: %d instructions with equal boundaries; "
                + "%d known ndisasm divergences; %d unexplained mismatches%s%s%n", images.size(), agreed,
                explained.size(), unexplained.size(), byReason(explained), Report.list("UNEXPLAINED", unexplained));
        if (VERBOSE) {
            System.out.println(Report.list("KNOWN", explained));
        }
        assertThat(unexplained).as("boundaries differing from ndisasm").isEmpty();
    }

    /** "  n x reason" per distinct reason of the " -- reason" suffixed findings. */
    private static String byReason(List<String> explained) {
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        explained.forEach(e -> counts.merge(e.substring(e.indexOf(" -- ") + 4), 1, Integer::sum));
        StringBuilder sb = new StringBuilder();
        counts.forEach((reason, n) -> sb.append("\n  ").append(n).append(" x ").append(reason));
        return sb.toString();
    }

    /**
     * Both decoders over the whole image (code, data, every mode); where they part, both resynchronise at the
     * next common boundary. Returns how many instructions agreed; divergences go to the lists.
     */
    private int compareBoundaries(byte[] code, int bits, String name, List<String> explained,
                                  List<String> unexplained) throws IOException, InterruptedException {
        List<NasmTools.Line> nd = NasmTools.ndisasm(code, bits, ORIGIN, tmp);
        X86Decoder decoder = new X86Decoder(bits);
        List<X86Insn> ours = new ArrayList<>();
        for (int off = 0; off < code.length; ) {
            X86Insn x = decoder.decode(code, off, code.length, ORIGIN + off);
            if (x == null) {
                break;   // cut off by the end of the image; ndisasm prints the rest as db
            }
            ours.add(x);
            off += x.length();
        }
        int agreed = 0;
        int i = 0;
        int j = 0;
        while (i < ours.size() && j < nd.size()) {
            X86Insn o = ours.get(i);
            NasmTools.Line t = nd.get(j);
            int ourStart = (int) (o.address() - ORIGIN);
            if (ourStart == t.offset() && o.length() == t.bytes().length) {
                agreed++;
                i++;
                j++;
                continue;
            }
            long ourEnd = ourStart + o.length();
            long theirEnd = t.end();
            int spanned = 1;
            while (ourEnd != theirEnd) {
                if (ourEnd < theirEnd && i + 1 < ours.size()) {
                    X86Insn n = ours.get(++i);
                    ourEnd = n.address() - ORIGIN + n.length();
                    spanned++;
                } else if (theirEnd < ourEnd && j + 1 < nd.size()) {
                    theirEnd = nd.get(++j).end();
                } else {
                    break;
                }
            }
            String what = String.format("%s at 0x%x: ours %s %s, ndisasm %s (%d of ours to resync)", name,
                    ourStart, hex(Arrays.copyOfRange(code, ourStart, ourStart + o.length())), o.text(), t.text(),
                    spanned);
            // the first instruction decides: after a known divergence the two resynchronise wherever data allows
            String reason = ourStart == t.offset() ? KnownDivergence.of(o, code, t.text()) : null;
            if (reason != null) {
                explained.add(what + " -- " + reason);
            } else {
                unexplained.add(what);
            }
            i++;
            j++;
        }
        return agreed;
    }

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    /** Counts and findings of the random cross-check. */
    private static final class Report {
        int instructions;
        int boundariesCompared;
        int mnemonicsCompared;
        int operandsCompared;
        final List<String> lengthMismatches = new ArrayList<>();
        final List<String> ndisasmDisagreesWithNasm = new ArrayList<>();
        final List<String> ndisasmUnknown = new ArrayList<>();
        final List<String> ndisasmBoundary = new ArrayList<>();
        final List<String> mnemonicMismatches = new ArrayList<>();
        final List<String> operandMismatches = new ArrayList<>();
        final List<String> operandStyle = new ArrayList<>();

        void add(Report o) {
            instructions += o.instructions;
            boundariesCompared += o.boundariesCompared;
            mnemonicsCompared += o.mnemonicsCompared;
            operandsCompared += o.operandsCompared;
            lengthMismatches.addAll(o.lengthMismatches);
            ndisasmDisagreesWithNasm.addAll(o.ndisasmDisagreesWithNasm);
            ndisasmUnknown.addAll(o.ndisasmUnknown);
            ndisasmBoundary.addAll(o.ndisasmBoundary);
            mnemonicMismatches.addAll(o.mnemonicMismatches);
            operandMismatches.addAll(o.operandMismatches);
            operandStyle.addAll(o.operandStyle);
        }

        @Override
        public String toString() {
            return String.format("%d instructions, lengths equal to NASM's: %d; boundaries equal to ndisasm's: %d; "
                    + "mnemonics equal: %d; operands equal: %d (known style differences: %d); "
                    + "ndisasm differs from NASM: %d; ndisasm cannot decode: %d%s%s%s%s%s%s",
                    instructions, instructions - lengthMismatches.size(), boundariesCompared, mnemonicsCompared,
                    operandsCompared, operandStyle.size(), ndisasmDisagreesWithNasm.size(), ndisasmUnknown.size(),
                    list("LENGTH", lengthMismatches), list("NDISASM≠NASM", ndisasmDisagreesWithNasm),
                    list("NDISASM db", ndisasmUnknown), list("MNEMONIC", mnemonicMismatches),
                    list("OPERANDS", operandMismatches), VERBOSE ? list("OPERAND STYLE", operandStyle) : "");
        }

        static String list(String what, List<String> l) {
            if (l.isEmpty()) {
                return "";
            }
            return "\n  " + what + " (" + l.size() + "):\n    " + String.join("\n    ", l.subList(0, Math.min(LIST_LIMIT, l.size())));
        }
    }
}
