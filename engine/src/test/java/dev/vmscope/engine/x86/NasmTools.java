package dev.vmscope.engine.x86;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs NASM and ndisasm for the cross-checks; both are optional on a developer machine. */
final class NasmTools {
    /** One instruction as a tool saw it: offset in the image, its bytes, its text. */
    record Line(int offset, byte[] bytes, String text) {
        int end() {
            return offset + bytes.length;
        }
    }

    /** An assembled file: the image and, from the listing, each source line's encoding. */
    record Assembled(byte[] image, List<Line> lines) {
    }

    private NasmTools() {
    }

    static boolean available() {
        return runs("nasm", "-v") && runs("ndisasm", "-h");
    }

    private static boolean runs(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Assembles {@code source} with {@code nasm -f bin}; the listing gives every line's bytes. */
    static Assembled assemble(String source, Path dir) throws IOException, InterruptedException {
        Path asm = dir.resolve("in.asm");
        Path bin = dir.resolve("out.bin");
        Path lst = dir.resolve("out.lst");
        Files.writeString(asm, source);
        String err = run("nasm", "-f", "bin", "-o", bin.toString(), "-l", lst.toString(), asm.toString());
        if (!Files.exists(bin) || err.contains("error")) {
            throw new IllegalStateException("nasm failed:\n" + withSource(err, source.split("\n")));
        }
        return new Assembled(Files.readAllBytes(bin), listing(Files.readAllLines(lst)));
    }

    /** Each "file:line: error" message followed by that source line. */
    private static String withSource(String messages, String[] source) {
        StringBuilder sb = new StringBuilder();
        for (String m : messages.split("\n")) {
            sb.append(m).append('\n');
            var line = java.util.regex.Pattern.compile(":(\\d+): ").matcher(m);
            if (line.find()) {
                sb.append("    > ").append(source[Integer.parseInt(line.group(1)) - 1]).append('\n');
            }
        }
        return sb.toString();
    }

    /** Listing lines "  n offset hex[-]  source"; an instruction longer than 9 bytes continues on lines with n. */
    private static List<Line> listing(List<String> lst) {
        List<Line> out = new ArrayList<>();
        int lineNo = -1;
        int offset = 0;
        StringBuilder hex = new StringBuilder();
        String text = "";
        for (String l : lst) {
            String[] f = l.trim().split("\\s+", 4);
            if (f.length < 3 || !f[1].matches("[0-9A-F]{8}") || !f[2].matches("[0-9A-F]+-?")) {
                continue;
            }
            int n = Integer.parseInt(f[0]);
            if (n != lineNo) {
                if (hex.length() > 0) {
                    out.add(new Line(offset, hexBytes(hex.toString()), text));
                }
                lineNo = n;
                offset = Integer.parseInt(f[1], 16);
                hex.setLength(0);
                text = f.length > 3 ? f[3].trim() : "";
            }
            hex.append(f[2].replace("-", ""));
        }
        if (hex.length() > 0) {
            out.add(new Line(offset, hexBytes(hex.toString()), text));
        }
        return out;
    }

    /** {@code ndisasm -b bits -o origin}: one line per instruction ("db 0x.." for bytes it cannot decode). */
    static List<Line> ndisasm(byte[] image, int bits, long origin, Path dir) throws IOException, InterruptedException {
        Path bin = dir.resolve("nd" + bits + ".bin");
        Files.write(bin, image);
        String out = run("ndisasm", "-b", Integer.toString(bits), "-o", Long.toString(origin), bin.toString());
        List<Line> lines = new ArrayList<>();
        int offset = -1;
        StringBuilder hex = new StringBuilder();
        String text = "";
        for (String l : out.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            if (l.startsWith(" ")) {   // continuation: "         -2211"
                hex.append(l.trim().substring(1));
                continue;
            }
            if (offset >= 0) {
                lines.add(new Line(offset, hexBytes(hex.toString()), text));
            }
            String[] f = l.split("\\s+", 3);
            offset = (int) (Long.parseLong(f[0], 16) - origin);
            hex.setLength(0);
            hex.append(f[1]);
            text = f.length > 2 ? f[2].trim() : "";
        }
        if (offset >= 0) {
            lines.add(new Line(offset, hexBytes(hex.toString()), text));
        }
        return splitWait(lines);
    }

    /**
     * ndisasm prints WAIT (9B) together with the instruction after it ("finit", "wait shrd ..."); for the CPU
     * it is an instruction of its own, so such lines are split into "wait" and the rest.
     */
    private static List<Line> splitWait(List<Line> lines) {
        List<Line> out = new ArrayList<>(lines.size());
        for (Line l : lines) {
            byte[] b = l.bytes();
            if (b.length > 1 && (b[0] & 0xFF) == 0x9B) {
                out.add(new Line(l.offset(), new byte[]{b[0]}, "wait"));
                String rest = l.text().startsWith("wait ") ? l.text().substring(5)
                        : l.text().startsWith("f") ? "fn" + l.text().substring(1) : l.text();
                out.add(new Line(l.offset() + 1, java.util.Arrays.copyOfRange(b, 1, b.length), rest));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " timed out");
        }
        return out;
    }

    static byte[] hexBytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
