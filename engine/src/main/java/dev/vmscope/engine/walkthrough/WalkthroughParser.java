package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.GuestSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/** Reads the walkthrough file format documented on {@link Walkthrough}, line by line; errors name FILE:LINE. */
final class WalkthroughParser {
    private final String[] lines;
    private final Path file;
    private String title;
    private int titleLine;
    private final Set<String> options = new LinkedHashSet<>();
    private final List<Walkthrough.Step> steps = new ArrayList<>();
    // the step being read
    private String stepTitle;
    private int stepLine;
    private boolean hasTarget;
    private Walkthrough.Kind kind;
    private String spec;
    private OptionalLong address = OptionalLong.empty();
    private long pauseMillis;
    private final List<String> text = new ArrayList<>();
    private final List<Walkthrough.KernelPointer> kernel = new ArrayList<>();

    WalkthroughParser(String source, Path file) {
        this.lines = (source.startsWith("\uFEFF") ? source.substring(1) : source).split("\\R", -1);
        this.file = file;
    }

    Walkthrough parse() {
        for (int i = 0; i < lines.length; i++) {
            int n = i + 1;
            String t = lines[i].strip();
            if (t.startsWith("#") && !inText()) {
                continue;   // a comment: only outside a step's text, where "#DB ..." is text
            }
            if (t.startsWith("step:")) {
                if (title == null) {
                    throw error(n, "the file must start with 'walkthrough: TITLE' before its first step");
                }
                endStep(n);
                stepTitle = value(t, "step:");
                stepLine = n;
                if (stepTitle.isEmpty()) {
                    throw error(n, "a step needs a title: 'step: TITLE'");
                }
            } else if (stepTitle == null) {
                header(n, t);
            } else if (!hasTarget) {
                if (t.startsWith("at:")) {
                    target(n, value(t, "at:"));
                } else if (!t.isEmpty()) {
                    throw error(n, "step '" + stepTitle + "' (line " + stepLine + ") needs its 'at:' line"
                            + " right after the title (at: start | end | pause [N ms] | exec ADDRESS"
                            + " | an exit breakpoint such as 'IO port=0x3f8 out')");
                }
            } else if (t.startsWith("kernel:") && text.stream().allMatch(String::isEmpty)) {
                kernel.add(kernelPointer(n, value(t, "kernel:")));
            } else {
                for (String key : new String[]{"at:", "walkthrough:", "options:", "kernel:"}) {
                    if (t.startsWith(key)) {
                        throw error(n, key.equals("at:")
                                ? "step '" + stepTitle + "' (line " + stepLine + ") already has its 'at:' line"
                                : key.equals("kernel:")
                                ? "'kernel:' lines go between the step's 'at:' line and its text"
                                : "'" + key + "' belongs before the first step");
                    }
                }
                text.add(t);
            }
        }
        endStep(lines.length);
        if (title == null) {
            throw error(1, "not a walkthrough: the first line must be 'walkthrough: TITLE'");
        }
        if (steps.isEmpty()) {
            throw error(titleLine, "the walkthrough has no steps ('step: TITLE', then 'at: ...' and text)");
        }
        checkOrder();
        return new Walkthrough(file, title, options, steps);
    }

    /** True once the current step has its 'at:' line: every line up to the next 'step:' is its text. */
    private boolean inText() {
        return stepTitle != null && hasTarget;
    }

    private void header(int n, String t) {
        if (t.isEmpty()) {
            return;
        }
        if (t.startsWith("walkthrough:")) {
            if (title != null) {
                throw error(n, "a second 'walkthrough:' title line");
            }
            title = value(t, "walkthrough:");
            titleLine = n;
            if (title.isEmpty()) {
                throw error(n, "the walkthrough needs a title: 'walkthrough: TITLE'");
            }
        } else if (title == null) {
            throw error(n, "not a walkthrough: the first line must be 'walkthrough: TITLE'");
        } else if (t.startsWith("options:")) {
            for (String w : value(t, "options:").split("\\s+")) {
                if (w.isEmpty()) {
                    continue;
                }
                String o = w.toLowerCase(Locale.ROOT);
                if (!Walkthrough.OPTIONS.contains(o)) {
                    throw error(n, "unknown option '" + w + "' (known: " + String.join(", ", Walkthrough.OPTIONS) + ")");
                }
                options.add(o);
            }
        } else {
            throw error(n, "expected 'options: ...' or the first 'step: TITLE' here");
        }
    }

    private void target(int n, String v) {
        hasTarget = true;
        String[] w = v.isEmpty() ? new String[0] : v.split("\\s+");
        if (w.length == 0) {
            throw error(n, "'at:' needs a target: start, end, pause [N ms], exec ADDRESS or an exit breakpoint");
        }
        switch (w[0].toLowerCase(Locale.ROOT)) {
            case "start", "end" -> {
                if (w.length > 1) {
                    throw error(n, "'" + w[0] + "' takes nothing after it");
                }
                kind = w[0].equalsIgnoreCase("start") ? Walkthrough.Kind.START : Walkthrough.Kind.END;
            }
            case "pause" -> {
                kind = Walkthrough.Kind.PAUSE;
                pauseMillis = pauseTime(n, v.substring(w[0].length()).replace(" ", ""));
            }
            case "exec" -> {
                if (w.length != 2) {
                    throw error(n, "'exec' takes one code address, e.g. 'exec 0x1079'");
                }
                long a;
                try {
                    a = GuestSpec.parseNumber(w[1], "code address", null);
                } catch (GuestConfigException e) {
                    throw error(n, e.getMessage());
                }
                kind = Walkthrough.Kind.BREAK;
                address = OptionalLong.of(a);
                spec = checkedSpec(n, String.format("DEBUG rip=0x%x", a));
            }
            default -> {
                kind = Walkthrough.Kind.BREAK;
                spec = checkedSpec(n, String.join(" ", w));
            }
        }
    }

    private long pauseTime(int n, String t) {
        if (t.isEmpty()) {
            return Walkthrough.DEFAULT_PAUSE_MILLIS;
        }
        String digits = t.toLowerCase(Locale.ROOT);
        if (!digits.endsWith("ms") || digits.length() == 2) {
            throw error(n, "'pause' takes a time in milliseconds, e.g. 'pause 300 ms', not '" + t + "'");
        }
        long ms;
        try {
            ms = Long.parseLong(digits.substring(0, digits.length() - 2));
        } catch (NumberFormatException e) {
            throw error(n, "'pause' takes a time in milliseconds, e.g. 'pause 300 ms', not '" + t + "'");
        }
        if (ms < 1 || ms > Walkthrough.MAX_PAUSE_MILLIS) {
            throw error(n, "a pause runs the guest for 1 to " + Walkthrough.MAX_PAUSE_MILLIS + " ms, not " + ms);
        }
        return ms;
    }

    private String checkedSpec(int n, String s) {
        try {
            ExitBreakpoint.parse(0, s);
        } catch (GuestConfigException e) {
            throw error(n, "bad breakpoint '" + s + "': " + e.getMessage());
        }
        return s;
    }

    /** {@code EVENT [WORDS...]}: a tracepoint name, then what its description must contain. */
    private Walkthrough.KernelPointer kernelPointer(int n, String v) {
        String[] parts = v.split("\\s+", 2);
        if (parts[0].isEmpty() || !parts[0].matches("[a-z0-9_]+")) {
            throw error(n, "'kernel:' needs a tracepoint name (lower case, digits, _), e.g. 'kernel: kvm_emulate_insn"
                    + " mov cr0', not '" + v + "'");
        }
        return new Walkthrough.KernelPointer(parts[0], parts.length > 1 ? parts[1].strip() : "");
    }

    private void endStep(int n) {
        if (stepTitle == null) {
            return;
        }
        if (!hasTarget) {
            throw error(stepLine, "step '" + stepTitle + "' has no 'at:' line");
        }
        String body = paragraphs(text);
        if (body.isEmpty()) {
            throw error(stepLine, "step '" + stepTitle + "' has no text");
        }
        steps.add(new Walkthrough.Step(stepTitle, kind, spec, body, address, kind == Walkthrough.Kind.PAUSE ? pauseMillis : 0, stepLine,
                kernel));
        stepTitle = null;
        hasTarget = false;
        kind = null;
        spec = null;
        address = OptionalLong.empty();
        pauseMillis = 0;
        text.clear();
        kernel.clear();
    }

    private void checkOrder() {
        boolean ran = false;
        for (int i = 0; i < steps.size(); i++) {
            Walkthrough.Step s = steps.get(i);
            if (s.kind() == Walkthrough.Kind.START && ran) {
                throw error(s.line(), "'at: start' is for the steps before the guest runs; step '" + s.title()
                        + "' comes after one that runs it");
            }
            if (s.kind() == Walkthrough.Kind.END && i != steps.size() - 1) {
                throw error(s.line(), "'at: end' must be the last step; step '" + s.title()
                        + "' is followed by '" + steps.get(i + 1).title() + "'");
            }
            ran |= s.kind() != Walkthrough.Kind.START;
        }
    }

    private static String value(String line, String key) {
        return line.substring(key.length()).strip();
    }

    private static String paragraphs(List<String> lines) {
        StringBuilder out = new StringBuilder();
        StringBuilder para = new StringBuilder();
        for (String l : lines) {
            if (l.isEmpty()) {
                flush(out, para);
            } else {
                if (para.length() > 0) {
                    para.append(' ');
                }
                para.append(l);
            }
        }
        flush(out, para);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder para) {
        if (para.length() == 0) {
            return;
        }
        if (out.length() > 0) {
            out.append("\n\n");
        }
        out.append(para);
        para.setLength(0);
    }

    private GuestConfigException error(int line, String message) {
        return new GuestConfigException(file + ":" + line + ": " + message);
    }
}
