package dev.vmscope.engine.x86;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real compiler output: windows of the running JVM's own libjvm.so (C++ with SSE/AVX, always present where the
 * tests run), disassembled by objdump; every instruction objdump finds must have the same length in our
 * decoder. Skipped without binutils.
 */
class ObjdumpCrossCheckTest {
    private static final long WINDOW = 256 * 1024;
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*\\t?(.*)$");
    private static final Pattern TEXT = Pattern.compile("\\s\\.text\\s+([0-9a-f]+)\\s+([0-9a-f]+)\\s");

    @Test
    void libjvmInstructionLengthsMatchObjdump() throws Exception {
        Path lib = Path.of(System.getProperty("java.home"), "lib", "server", "libjvm.so");
        assumeTrue(Files.isRegularFile(lib), "no libjvm.so at " + lib);
        String headers = run("objdump", "-h", lib.toString());
        assumeTrue(headers != null, "objdump not installed: skipping the objdump cross-check");
        Matcher m = TEXT.matcher(headers);
        assumeTrue(m.find(), "no .text in " + lib);
        long size = Long.parseUnsignedLong(m.group(1), 16);
        long vma = Long.parseUnsignedLong(m.group(2), 16);

        int compared = 0;
        List<String> mismatches = new ArrayList<>();
        for (long start : new long[]{vma, vma + size / 2, vma + size - WINDOW}) {
            String out = run("objdump", "-d", "-M", "intel", "--insn-width=16", "--start-address=" + start,
                    "--stop-address=" + (start + WINDOW), lib.toString());
            compared += compare(out, mismatches);
        }
        System.out.printf("[x86 cross-check] libjvm.so, 3 x %d KiB of .text: %d instructions compared with "
                + "objdump, %d length mismatches%s%n", WINDOW / 1024, compared, mismatches.size(),
                mismatches.isEmpty() ? "" : "\n  " + String.join("\n  ", mismatches.subList(0, Math.min(30, mismatches.size()))));
        assertThat(compared).isGreaterThan(50_000);
        assertThat(mismatches).isEmpty();
    }

    /** Groups objdump's lines into runs of contiguous bytes and decodes each of its instructions in place. */
    private static int compare(String objdump, List<String> mismatches) throws IOException {
        X86Decoder decoder = new X86Decoder(64);
        int compared = 0;
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        List<long[]> insns = new ArrayList<>();   // address, offset in run, length
        List<String> texts = new ArrayList<>();
        long next = -1;
        BufferedReader r = new BufferedReader(new java.io.StringReader(objdump));
        for (String l = r.readLine(); ; l = r.readLine()) {
            Matcher m = l == null ? null : LINE.matcher(l);
            boolean insn = m != null && m.matches();
            long address = insn ? Long.parseUnsignedLong(m.group(1), 16) : -1;
            if (!insn || address != next) {
                compared += decodeRun(decoder, run.toByteArray(), insns, texts, mismatches);
                run.reset();
                insns.clear();
                texts.clear();
                if (l == null) {
                    return compared;
                }
                if (!insn) {
                    next = -1;
                    continue;
                }
            }
            String[] bytes = m.group(2).trim().split(" ");
            insns.add(new long[]{address, run.size(), bytes.length});
            texts.add(m.group(3).trim());
            for (String b : bytes) {
                run.write(Integer.parseInt(b, 16));
            }
            next = address + bytes.length;
        }
    }

    private static int decodeRun(X86Decoder decoder, byte[] code, List<long[]> insns, List<String> texts,
                                 List<String> mismatches) {
        int compared = 0;
        for (int i = 0; i < insns.size(); i++) {
            long[] in = insns.get(i);
            String text = texts.get(i);
            if (text.contains("(bad)")) {
                continue;   // objdump could not decode it either
            }
            int offset = (int) in[1];
            int expected = (int) in[2];
            if ((code[offset] & 0xFF) == 0x9B && expected > 1) {
                expected = 1;   // objdump shows fwait + x87 as one ("fstsw"); for the CPU they are two
            }
            X86Insn x = decoder.decode(code, offset, code.length, in[0]);
            if (x == null && code.length - offset < 15) {
                break;   // the window's stop address cut the last instruction
            }
            compared++;
            if (x == null || !x.valid() || x.length() != expected) {
                mismatches.add(String.format("%x: objdump %d bytes %s | ours %s", in[0], expected, text,
                        x == null ? "truncated" : x.length() + " bytes " + x.text()));
            }
        }
        return compared;
    }

    /** Output of the command, or null if it cannot run. */
    private static String run(String... cmd) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out;
            try (var in = new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)) {
                out = new BufferedReader(in).lines().collect(java.util.stream.Collectors.joining("\n"));
            }
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        }
    }
}
