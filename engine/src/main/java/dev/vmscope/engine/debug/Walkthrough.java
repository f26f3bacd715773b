package dev.vmscope.engine.debug;

import dev.vmscope.engine.machine.GuestConfigException;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.machine.VcpuRunner;
import dev.vmscope.engine.trace.BreakpointHit;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A guided walkthrough of one sample for lecture mode: a title and a list of steps, each a short explanation
 * of one exit (or a group of exits) and the way to run the guest to exactly that exit. The UI launches a
 * {@link DebugSession} on the sample (with {@link #configure} applying the walkthrough's options), then for
 * step k calls {@link #play} off the UI thread and shows the step's text when it returns.
 *
 * <h2>The file: {@code samples/NAME/walkthrough.txt}</h2>
 *
 * Plain UTF-8 text, read line by line; leading and trailing blanks of a line do not matter, and a line
 * whose first non-blank character is {@code #} is a comment wherever it stands. In order:
 * <pre>
 * walkthrough: TITLE          the first line that is not blank or a comment
 * options: WORD...            optional, before the first step (known: trap-msrs)
 *
 * step: TITLE                 then, for every step:
 * at: TARGET                  where the step runs the guest to (see below)
 * TEXT...                     the explanation: every line up to the next "step:" line
 * </pre>
 *
 * <b>{@code at:}</b> comes right after its {@code step:} line (blank lines and comments may sit between) and
 * takes one of:
 * <ul>
 * <li>{@code start}: before the first instruction; nothing runs. Only the leading steps may use it.</li>
 * <li>an exit breakpoint, exactly as the debugger's {@code break exit} takes it ({@link ExitBreakpoint}):
 *     {@code REASON [port=A[-B]] [addr=A[-B]] [index=MSR] [rip=A[-B]] [vcpu=N] [hit=N] [in|out|read|write]}.
 *     The step adds it, continues, and removes it again at the stop, so {@code hit=N} counts matching exits
 *     from the previous step's stop on: {@code hit=1} (the default) is the next matching exit.</li>
 * <li>{@code exec ADDRESS}: stop before the instruction at that linear address. The step sets a hardware
 *     execute breakpoint there, which makes the CPU raise #DB and KVM report {@code KVM_EXIT_DEBUG}; its
 *     {@link Step#breakpointSpec() breakpointSpec} is the exit breakpoint on that exit,
 *     {@code DEBUG rip=ADDRESS}. For the code between exits that a lecture wants to stop in.</li>
 * <li>{@code pause} or {@code pause N ms}: continue, let the guest run for N ms (default
 *     {@value #DEFAULT_PAUSE_MILLIS}), then pause it, as the Pause button does: for guests that spin
 *     without exits.</li>
 * <li>{@code end}: continue until the run is over (through any other breakpoints); only the last step.</li>
 * </ul>
 * Keywords come first: anything that is not one of them is read as an exit breakpoint, and every one is
 * checked with {@link ExitBreakpoint#parse} when the file is loaded.
 *
 * <p><b>The text</b> is every line after {@code at:} until the next line that starts with {@code step:} (or
 * the end of the file). Lines of one paragraph are joined with single spaces; a blank line starts a new
 * paragraph ({@code "\n\n"} in {@link Step#text()}). A step must have some text. Inside the text a line
 * starting with {@code step:} begins the next step and one starting with {@code at:}, {@code walkthrough:}
 * or {@code options:} is refused as a misplaced key; any other line is text, whatever it says.
 *
 * <p><b>Options</b> (words after {@code options:}) apply to the whole walkthrough, since they change how
 * the session is launched: {@code trap-msrs} runs the guest in MSR trap mode
 * ({@link MachineConfig.Builder#trapMsrs}), without which RDMSR/WRMSR never reach user space.
 *
 * <p>Every mistake is a {@link GuestConfigException} whose message starts with {@code FILE:LINE:}.
 *
 * <h2>Playing it</h2>
 * <pre>
 * Walkthrough w = Walkthrough.load(sampleDir).orElseThrow();
 * DebugSession s = DebugSession.launch(w.configure(GuestSpec.resolve(sampleDir)).build());
 * for (Walkthrough.Step step : w.steps()) {              // one per click, on a worker thread
 *     SessionState st = Walkthrough.play(s, step);
 *     show(step.title(), step.text(), step.reached(st) ? null : st.describe());
 * }
 * </pre>
 *
 * <h2>An example</h2>
 * The samples' own walkthroughs are complete examples; a short one:
 * <pre>
 * walkthrough: hello: real mode, one OUT per byte, then HLT
 *
 * step: Before the first instruction
 * at: start
 * The loader has copied hello.bin to 0x1000 and set CS:IP = 0000:1000, SP = 0xFFF0 and CR0 = 0x60000010
 * (PE clear: real mode).
 *
 * step: The first byte leaves the guest
 * at: IO port=0x3f8 out
 * The guest ran out dx, al with AL = 0x48 ('H'): an IO_INSTRUCTION exit (basic reason 30).
 *
 * step: The run ends at HLT
 * at: end
 * cli; hlt leaves nothing that could wake the vCPU: HLT exit (12), and vmscope ends the run.
 * </pre>
 */
public final class Walkthrough {
    /** The walkthrough's file name in a sample directory. */
    public static final String FILE_NAME = "walkthrough.txt";
    /** How long a {@code pause} step lets the guest run when the step gives no time. */
    public static final long DEFAULT_PAUSE_MILLIS = 200;
    /** How long {@link #play(DebugSession, Step)} waits for a step's stop. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The option that launches the guest in MSR trap mode. */
    public static final String TRAP_MSRS = "trap-msrs";

    private static final Set<String> OPTIONS = Set.of(TRAP_MSRS);
    private static final long MAX_PAUSE_MILLIS = 60_000;
    /** How often a waiting step checks that a breakpoint's all-stop really stopped every vCPU. */
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    public enum Kind {
        /** Before the first instruction: nothing runs. */
        START,
        /** Run to an exit breakpoint (and, for {@code exec}, the hardware breakpoint that causes its exit). */
        BREAK,
        /** Run for a moment, then pause. */
        PAUSE,
        /** Run to the end. */
        END
    }

    /**
     * One step. {@code breakpointSpec} is set for BREAK only: the exit breakpoint the step stops at, words
     * separated by single spaces. {@code codeAddress} is set for {@code exec} steps (BREAK), {@code pauseMillis}
     * for PAUSE (else 0); {@code line} is the step's line in the file.
     */
    public record Step(String title, Kind kind, String breakpointSpec, String text, OptionalLong codeAddress,
                       long pauseMillis, int line) {

        /** The {@code at:} target in the file's words: {@code start}, {@code exec 0x1079}, {@code pause 200 ms}…. */
        public String target() {
            return switch (kind) {
                case START -> "start";
                case END -> "end";
                case PAUSE -> "pause " + pauseMillis + " ms";
                case BREAK -> codeAddress.isPresent() ? String.format("exec 0x%x", codeAddress.getAsLong())
                        : breakpointSpec;
            };
        }

        /**
         * Whether {@code s}, what {@link #play} returned, is where this step meant to stop: paused at the start,
         * at this step's breakpoint, paused by the step's pause, or finished. False when something else stopped
         * the guest first (another breakpoint, a pause from the UI, the end of the run, a timeout).
         */
        public boolean reached(SessionState s) {
            if (s == null) {
                return false;
            }
            return switch (kind) {
                case START -> s.mode() == SessionState.Mode.PAUSED && s.seq() < 0;
                case END -> s.mode() == SessionState.Mode.FINISHED;
                case PAUSE -> s.mode() == SessionState.Mode.PAUSED && s.reason() == SessionState.StopReason.PAUSE;
                case BREAK -> s.mode() == SessionState.Mode.PAUSED && s.reason() == SessionState.StopReason.BREAKPOINT
                        && s.hit() != null && s.hit().description().equals("exit " + breakpointSpec);
            };
        }
    }

    private final Path file;
    private final String title;
    private final Set<String> options;
    private final List<Step> steps;

    private Walkthrough(Path file, String title, Set<String> options, List<Step> steps) {
        this.file = file;
        this.title = title;
        this.options = Collections.unmodifiableSet(options);
        this.steps = List.copyOf(steps);
    }

    // ---- loading ----

    /** The walkthrough of the sample in {@code sampleDir}, or empty when it has none. */
    public static Optional<Walkthrough> load(Path sampleDir) {
        Path f = sampleDir.resolve(FILE_NAME);
        return Files.isRegularFile(f) ? Optional.of(read(f)) : Optional.empty();
    }

    /** Reads a walkthrough file. */
    public static Walkthrough read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new GuestConfigException(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new GuestConfigException(file + ": cannot read the walkthrough: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses walkthrough text; {@code file} names it in messages (and is what {@link #file()} returns). */
    public static Walkthrough parse(String source, Path file) {
        return new Parser(source, file).parse();
    }

    public Path file() {
        return file;
    }

    public String title() {
        return title;
    }

    public List<Step> steps() {
        return steps;
    }

    /** The words of the {@code options:} line. */
    public Set<String> options() {
        return options;
    }

    public boolean trapMsrs() {
        return options.contains(TRAP_MSRS);
    }

    /** Applies the walkthrough's options to a machine configuration, e.g. {@code GuestSpec.resolve(dir)}. */
    public MachineConfig.Builder configure(MachineConfig.Builder b) {
        if (trapMsrs()) {
            b.trapMsrs(true);
        }
        return b;
    }

    @Override
    public String toString() {
        return "walkthrough '" + title + "' (" + steps.size() + " steps, " + file + ")";
    }

    // ---- playing ----

    /** {@link #play(DebugSession, Step, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static SessionState play(DebugSession session, Step step) throws InterruptedException {
        return play(session, step, DEFAULT_TIMEOUT);
    }

    /**
     * Runs the guest to the step's stop and returns the session's state there; blocks, so never call it on
     * a UI thread. START does nothing. BREAK adds the step's breakpoint (and for {@code exec} steps its
     * hardware breakpoint), continues, waits for the stop and deletes what it added. PAUSE continues, waits
     * {@link Step#pauseMillis()} and pauses. END continues until the run is over, resuming past any other
     * exit breakpoint, but returns if the guest is paused by someone else.
     *
     * <p>Check {@link Step#reached} on the result: the guest may stop elsewhere first (a breakpoint of the
     * user's, the end of the run). When nothing stops it within {@code timeout} the step pauses the guest and
     * returns that state. Interrupting the caller abandons the wait; the step's breakpoints are removed and
     * the guest keeps running. A finished session is returned as it is.
     */
    public static SessionState play(DebugSession session, Step step, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SessionState now = session.state();
        if (now.mode() == SessionState.Mode.FINISHED) {
            return now;
        }
        return switch (step.kind()) {
            case START -> now;
            case BREAK -> runToBreakpoint(session, step, deadline);
            case PAUSE -> runAndPause(session, step.pauseMillis(), deadline);
            case END -> runToEnd(session, deadline);
        };
    }

    private static SessionState runToBreakpoint(DebugSession session, Step step, long deadline)
            throws InterruptedException {
        ExitBreakpoint bp = session.addExitBreakpoint(step.breakpointSpec());
        AddressBreakpoint hw = null;
        try {
            if (step.codeAddress().isPresent()) {
                hw = session.addAddressBreakpoint(step.codeAddress().getAsLong(), AddressBreakpoint.Kind.EXECUTE, 1);
            }
            session.resume();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return pauseNow(session);
                }
                SessionState st = session.awaitStop(Math.min(left, SLICE_NANOS), TimeUnit.NANOSECONDS);
                if (st != null) {
                    return st;
                }
                completeAllStop(session, bp.id());
            }
        } finally {
            session.deleteBreakpoint(bp.id());
            if (hw != null) {
                session.deleteBreakpoint(hw.id());
            }
        }
    }

    /**
     * When the breakpoint has hit but another vCPU still runs, pauses that vCPU. The session's all-stop pauses
     * every other vCPU at the hit, but one that {@link DebugSession#resume} had not yet resumed when the hit
     * came (a guest that reaches the breakpoint within microseconds, vCPU 1 still waiting for its turn in
     * resume's loop) is resumed afterwards and would run on, leaving the session "running" for good.
     */
    private static void completeAllStop(DebugSession session, int breakpointId) {
        BreakpointHit hit = null;
        for (BreakpointHit h : session.store().breakpointHits()) {
            if (h.breakpointId() == breakpointId) {
                hit = h;
            }
        }
        if (hit == null) {
            return;
        }
        int stopped = session.exits().get(hit.seq()).vcpu();
        for (VcpuRunner r : session.machine().vcpus()) {
            if (r.id() != stopped && !r.ended() && !r.isPaused()) {
                session.pause(r.id());
            }
        }
    }

    private static SessionState runAndPause(DebugSession session, long millis, long deadline)
            throws InterruptedException {
        session.resume();
        Thread.sleep(millis);
        session.pause();
        long left = Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
        SessionState st = session.awaitStop(left, TimeUnit.NANOSECONDS);
        return st != null ? st : session.state();
    }

    private static SessionState runToEnd(DebugSession session, long deadline) throws InterruptedException {
        while (true) {
            session.resume();
            long left = deadline - System.nanoTime();
            SessionState st = left > 0 ? session.awaitStop(left, TimeUnit.NANOSECONDS) : null;
            if (st == null) {
                return pauseNow(session);
            }
            if (st.mode() == SessionState.Mode.FINISHED || st.reason() != SessionState.StopReason.BREAKPOINT) {
                return st;   // over, or paused on purpose by someone else
            }
        }
    }

    /** After a timeout: pause the guest so the caller gets a state it can show. */
    private static SessionState pauseNow(DebugSession session) throws InterruptedException {
        session.pause();
        SessionState st = session.awaitStop(2, TimeUnit.SECONDS);
        return st != null ? st : session.state();
    }

    // ---- the parser ----

    private static final class Parser {
        private final String[] lines;
        private final Path file;
        private String title;
        private int titleLine;
        private final Set<String> options = new LinkedHashSet<>();
        private final List<Step> steps = new ArrayList<>();
        // the step being read
        private String stepTitle;
        private int stepLine;
        private boolean hasTarget;
        private Kind kind;
        private String spec;
        private OptionalLong address = OptionalLong.empty();
        private long pauseMillis;
        private final List<String> text = new ArrayList<>();

        Parser(String source, Path file) {
            this.lines = (source.startsWith("\uFEFF") ? source.substring(1) : source).split("\\R", -1);
            this.file = file;
        }

        Walkthrough parse() {
            for (int i = 0; i < lines.length; i++) {
                int n = i + 1;
                String t = lines[i].strip();
                if (t.startsWith("#")) {
                    continue;
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
                } else {
                    for (String key : new String[]{"at:", "walkthrough:", "options:"}) {
                        if (t.startsWith(key)) {
                            throw error(n, key.equals("at:")
                                    ? "step '" + stepTitle + "' (line " + stepLine + ") already has its 'at:' line"
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
                    if (!OPTIONS.contains(o)) {
                        throw error(n, "unknown option '" + w + "' (known: " + String.join(", ", OPTIONS) + ")");
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
                    kind = w[0].equalsIgnoreCase("start") ? Kind.START : Kind.END;
                }
                case "pause" -> {
                    kind = Kind.PAUSE;
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
                    kind = Kind.BREAK;
                    address = OptionalLong.of(a);
                    spec = checkedSpec(n, String.format("DEBUG rip=0x%x", a));
                }
                default -> {
                    kind = Kind.BREAK;
                    spec = checkedSpec(n, String.join(" ", w));
                }
            }
        }

        private long pauseTime(int n, String t) {
            if (t.isEmpty()) {
                return DEFAULT_PAUSE_MILLIS;
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
            if (ms < 1 || ms > MAX_PAUSE_MILLIS) {
                throw error(n, "a pause runs the guest for 1 to " + MAX_PAUSE_MILLIS + " ms, not " + ms);
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
            steps.add(new Step(stepTitle, kind, spec, body, address, kind == Kind.PAUSE ? pauseMillis : 0, stepLine));
            stepTitle = null;
            hasTarget = false;
            kind = null;
            spec = null;
            address = OptionalLong.empty();
            pauseMillis = 0;
            text.clear();
        }

        private void checkOrder() {
            boolean ran = false;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                if (s.kind() == Kind.START && ran) {
                    throw error(s.line(), "'at: start' is for the steps before the guest runs; step '" + s.title()
                            + "' comes after one that runs it");
                }
                if (s.kind() == Kind.END && i != steps.size() - 1) {
                    throw error(s.line(), "'at: end' must be the last step; step '" + s.title()
                            + "' is followed by '" + steps.get(i + 1).title() + "'");
                }
                ran |= s.kind() != Kind.START;
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
}
