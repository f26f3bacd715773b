package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.MachineConfig;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A guided walkthrough of one sample for lecture mode: a title and a list of steps, each a short explanation
 * of one exit (or a group of exits) and the way to run the guest to exactly that exit. The UI launches a
 * {@link DebugSession} on the sample (with {@link #configure} applying the walkthrough's options), then for
 * step k calls {@link WalkthroughPlayer#play} off the UI thread and shows the step's text when it returns.
 * This class is the file format (its parser is {@link WalkthroughParser}); playing is {@link WalkthroughPlayer}'s.
 *
 * <h2>The file: {@code samples/NAME/walkthrough.txt}</h2>
 *
 * Plain UTF-8 text, read line by line; leading and trailing blanks of a line do not matter, and a line
 * whose first non-blank character is {@code #} is a comment outside a step's text: before the first step, and
 * between a {@code step:} line and its {@code at:} line. Inside a step's text every line is text, so a line may
 * start with {@code #DB} or {@code #PF}. In order:
 * <pre>
 * walkthrough: TITLE          the first line that is not blank or a comment
 * options: WORD...            optional, before the first step (known: trap-msrs)
 *
 * step: TITLE                 then, for every step:
 * at: TARGET                  where the step runs the guest to (see below)
 * kernel: EVENT [WORDS...]    optional, any number: kernel events the step points at (see below)
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
 * starting with {@code step:} begins the next step and one starting with {@code at:}, {@code kernel:},
 * {@code walkthrough:} or {@code options:} is refused as a misplaced key; any other line is text, whatever it says.
 *
 * <p><b>{@code kernel:}</b> lines sit between {@code at:} and the text. Each names a KVM tracepoint
 * ({@code kvm_emulate_insn}, {@code kvm_msr}, {@code kvm_pic_set_irq} …: lower case, digits and {@code _})
 * and optionally words its description must contain (case does not matter), e.g.
 * {@code kernel: kvm_emulate_insn mov cr0} or {@code kernel: kvm_set_irq gsi 4 level 1}. When the step has
 * stopped, the window lists the kernel events of the stopped exit's vCPU since its previous exit that match
 * ({@link KernelPointer#matches}): what KVM did inside the kernel on the way to this exit. Where the run has
 * no kernel events (not permitted, or a host that does not emit that tracepoint) the window says so instead;
 * the step plays the same either way.
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
 *     SessionState st = WalkthroughPlayer.play(s, step);
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
    /** The option that launches the guest in MSR trap mode. */
    public static final String TRAP_MSRS = "trap-msrs";

    static final Set<String> OPTIONS = Set.of(TRAP_MSRS);
    static final long MAX_PAUSE_MILLIS = 60_000;

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
                       long pauseMillis, int line, List<KernelPointer> kernel) {

        public Step {
            kernel = List.copyOf(kernel);
        }

        /** A step that points at no kernel events. */
        public Step(String title, Kind kind, String breakpointSpec, String text, OptionalLong codeAddress,
                    long pauseMillis, int line) {
            this(title, kind, breakpointSpec, text, codeAddress, pauseMillis, line, List.of());
        }

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
         * Whether {@code s}, what {@link WalkthroughPlayer#play} returned, is where this step meant to stop: paused at the start,
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

    /**
     * A {@code kernel:} line: the tracepoint {@code event} and words its description must contain ("" for
     * any), e.g. {@code kvm_emulate_insn} and {@code mov cr0}.
     */
    public record KernelPointer(String event, String contains) {
        /** Whether an event named {@code name} that reads {@code summary} is one this line points at. */
        public boolean matches(String name, String summary) {
            return name.equals(event) && summary.toLowerCase(java.util.Locale.ROOT)
                    .contains(contains.toLowerCase(java.util.Locale.ROOT));
        }

        /** The line's words, as written after {@code kernel:}. */
        @Override
        public String toString() {
            return contains.isEmpty() ? event : event + " " + contains;
        }
    }

    private final Path file;
    private final String title;
    private final Set<String> options;
    private final List<Step> steps;

    Walkthrough(Path file, String title, Set<String> options, List<Step> steps) {
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
        return new WalkthroughParser(source, file).parse();
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
}
