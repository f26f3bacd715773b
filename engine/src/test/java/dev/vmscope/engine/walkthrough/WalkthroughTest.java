package dev.vmscope.engine.walkthrough;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The samples' lecture walkthroughs, played on real KVM exactly as the UI plays them: every step must stop
 * where its file says, at an exit that matches its breakpoint as written, in order, and the run must end
 * the way the sample ends. Plus the file format's error messages.
 */
class WalkthroughTest {
    /** ioloop's README allows patching its count before the first KVM_RUN: 1,000,000 exits would take ~10 s here. */
    private static final int IOLOOP_COUNT = 100_000;
    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

    private static List<Path> sampleDirs() throws IOException {
        try (Stream<Path> s = Files.list(KvmTests.samples())) {
            return s.filter(GuestSpec::isSampleDir).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everySampleWalksThroughOnKvm() throws IOException {
        List<Path> dirs = sampleDirs();
        assertThat(dirs).hasSizeGreaterThanOrEqualTo(12);
        return dirs.stream().map(d -> dynamicTest(d.getFileName().toString(), () -> walk(d)));
    }

    private static void walk(Path dir) throws InterruptedException {
        String name = dir.getFileName().toString();
        Walkthrough w = Walkthrough.load(dir).orElseThrow(() -> new AssertionError(name + " has no walkthrough.txt"));
        assertThat(w.steps()).as(name + ": steps").hasSizeBetween(4, 8);
        assertThat(w.trapMsrs()).as(name + ": trap-msrs").isEqualTo(name.equals("msr"));
        KvmTests.requireKvm();
        MachineConfig config = w.configure(GuestSpec.resolve(dir)).build();
        try (DebugSession s = DebugSession.launch(config)) {
            if (name.equals("ioloop")) {
                s.writePhysical(config.load() + 4, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
                        .putInt(IOLOOP_COUNT).array());
            }
            long lastSeq = -1;
            for (Walkthrough.Step step : w.steps()) {
                String where = name + ":" + step.line() + " '" + step.title() + "' (at: " + step.target() + ")";
                SessionState st = WalkthroughPlayer.play(s, step, STEP_TIMEOUT);
                assertThat(step.reached(st)).as("%s stopped where it says, not at: %s", where, st.describe()).isTrue();
                switch (step.kind()) {
                    case START -> assertThat(st.seq()).as(where).isEqualTo(-1);
                    case BREAK -> {
                        assertThat(st.mode()).as(where).isEqualTo(SessionState.Mode.PAUSED);
                        assertThat(st.reason()).as(where).isEqualTo(SessionState.StopReason.BREAKPOINT);
                        ExitRecord r = s.exits().get(st.seq());
                        assertMatches(r, step.breakpointSpec(), where);
                        if (step.codeAddress().isPresent()) {
                            assertThat(((KvmExit.Debug) r.exit()).pc()).as(where + ": #DB address")
                                    .isEqualTo(step.codeAddress().getAsLong());
                        }
                    }
                    case PAUSE -> {
                        assertThat(st.mode()).as(where).isEqualTo(SessionState.Mode.PAUSED);
                        assertThat(st.reason()).as(where).isEqualTo(SessionState.StopReason.PAUSE);
                        if (name.equals("spin")) {
                            assertThat(s.exits().get(st.seq()).state().rip()).as(where + ": at jmp $")
                                    .isEqualTo(0x1010);
                        }
                    }
                    case END -> {
                        assertThat(st.mode()).as(where).isEqualTo(SessionState.Mode.FINISHED);
                        assertOutcome(name, s, st.outcome());
                    }
                }
                if (step.kind() != Walkthrough.Kind.START) {
                    assertThat(st.seq()).as(where + ": seq moves on").isGreaterThan(lastSeq);
                    lastSeq = st.seq();
                }
            }
            if (w.steps().get(w.steps().size() - 1).kind() != Walkthrough.Kind.END) {
                assertThat(name).as("only spin never ends").isEqualTo("spin");
            }
        }
    }

    private static void assertOutcome(String name, DebugSession s, Outcome o) {
        switch (name) {
            case "triplefault" -> assertThat(o.kind()).isEqualTo(Outcome.Kind.TRIPLE_FAULT);
            case "mbkernel" -> {
                assertThat(o.kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
                assertThat(o.status()).isEqualTo(33);
                assertThat(s.exits().console()).endsWith("cpu1 up\nall cpus up\n");
            }
            case "symbols" -> {
                assertThat(o.kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
                assertThat(o.status()).isEqualTo(33);
                assertThat(s.exits().console()).endsWith("tick\ntick\ntick\n");
            }
            case "paging32" -> {
                if (o.kind() == Outcome.Kind.TRIPLE_FAULT) {
                    // a PVM host (as here): the mov cr0 that sets PG raises #GP and, with no IDT, the guest shuts
                    // down there, as the walkthrough's end step explains
                    ExitRecord last = s.exits().get(s.exits().size() - 1);
                    assertThat(last.reason()).isEqualTo(KvmExitReason.SHUTDOWN);
                    assertThat(last.state().rip()).isEqualTo(0x1079);
                    assertThat(last.state().cr0() & 0x80000000L).as("CR0.PG").isZero();
                } else {
                    assertThat(o.kind()).isEqualTo(Outcome.Kind.HALTED);
                    assertThat(s.exits().console())
                            .isEqualTo("Hello from paged protected mode (read via 0x0040xxxx)!\n");
                }
            }
            default -> assertThat(o.kind()).as(name + ": " + o.message()).isEqualTo(Outcome.Kind.HALTED);
        }
    }

    /** Checks the stop against the spec's words on its own, without ExitBreakpoint's matcher. */
    private static void assertMatches(ExitRecord r, String spec, String where) {
        String[] words = spec.split(" ");
        assertThat(reasons(words[0])).as("%s: %s is a %s exit", where, r.exit().detail(), words[0])
                .contains(r.reason());
        for (int i = 1; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            int eq = w.indexOf('=');
            if (eq < 0) {
                boolean outOrWrite = w.equals("out") || w.equals("write");
                boolean actual;
                if (r.exit() instanceof KvmExit.Io io) {
                    actual = io.out();
                } else if (r.exit() instanceof KvmExit.Mmio m) {
                    actual = m.write();
                } else if (r.exit() instanceof KvmExit.Msr m) {
                    actual = m.write();
                } else {
                    throw new AssertionError(where + ": direction on a " + r.reason() + " exit");
                }
                assertThat(actual).as("%s: %s", where, w).isEqualTo(outOrWrite);
                continue;
            }
            String key = w.substring(0, eq);
            String value = w.substring(eq + 1);
            long actual = switch (key) {
                case "port" -> ((KvmExit.Io) r.exit()).port();
                case "addr" -> ((KvmExit.Mmio) r.exit()).address();
                case "index" -> ((KvmExit.Msr) r.exit()).index() & 0xFFFFFFFFL;
                case "rip" -> r.state().rip();
                case "vcpu" -> r.vcpu();
                case "hit" -> -1;   // a count of matches, not a property of the exit
                default -> throw new AssertionError(where + ": the test does not know '" + key + "'");
            };
            if (!key.equals("hit")) {
                int dash = value.indexOf('-', 1);
                long lo = Long.decode(dash < 0 ? value : value.substring(0, dash));
                long hi = dash < 0 ? lo : Long.decode(value.substring(dash + 1));
                assertThat(actual).as("%s: %s in %s", where, key, value).isBetween(lo, hi);
            }
        }
    }

    private static Set<KvmExitReason> reasons(String word) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "IO", "IO_INSTRUCTION" -> EnumSet.of(KvmExitReason.IO);
            case "MMIO", "EPT_VIOLATION", "EPT_MISCONFIG" -> EnumSet.of(KvmExitReason.MMIO);
            case "RDMSR", "MSR_READ" -> EnumSet.of(KvmExitReason.X86_RDMSR);
            case "WRMSR", "MSR_WRITE" -> EnumSet.of(KvmExitReason.X86_WRMSR);
            case "MSR" -> EnumSet.of(KvmExitReason.X86_RDMSR, KvmExitReason.X86_WRMSR);
            default -> EnumSet.of(KvmExitReason.byName(word));
        };
    }

    @Test
    void everyStepTextIsSlideSized() throws IOException {
        for (Path dir : sampleDirs()) {
            Walkthrough w = Walkthrough.load(dir).orElseThrow();
            assertThat(w.title()).isNotBlank();
            for (Walkthrough.Step step : w.steps()) {
                int sentences = step.text().split("[.!?](\\s+|$)").length;
                assertThat(sentences).as("%s:%d '%s': sentences", w.file(), step.line(), step.title()).isBetween(2, 5);
            }
        }
    }

    // ---- the format, without KVM ----

    @Test
    void aLineOfTextMayStartWithHash(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Walkthrough.FILE_NAME), """
                # a comment
                walkthrough: T
                step: S
                # a comment too
                at: start
                The CPU raised
                #DB before the instruction ran.
                # and this is text as well
                """);
        assertThat(Walkthrough.load(dir).orElseThrow().steps().get(0).text())
                .isEqualTo("The CPU raised #DB before the instruction ran. # and this is text as well");
    }

    @Test
    void theBundledLongmodeTextKeepsItsDebugExceptionLine() {
        Walkthrough w = Walkthrough.load(Path.of(System.getProperty("vmscope.samples", "../samples"), "longmode"))
                .orElseThrow();
        assertThat(w.steps().get(1).text()).contains("raised #DB before the instruction ran; KVM intercepts #DB while");
    }

    @Test
    void parsesEveryKindOfStep(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Walkthrough.FILE_NAME), """
                # a comment before the title
                walkthrough:  A tour
                options: trap-msrs

                step: Nothing ran
                at: start
                First line of a paragraph,
                  and its second line.

                Second paragraph.

                step: An exit
                # comments may sit between a step's title and its at: line
                at:   IO   port=0x3f8   out
                Text.
                step: A code address
                at: exec 0x1079
                Text.
                step: A moment
                at: pause
                Text.
                step: A longer moment
                at: pause 350 ms
                Text.
                step: The end
                at: end
                Text.
                """);
        Walkthrough w = Walkthrough.load(dir).orElseThrow();
        assertThat(w.title()).isEqualTo("A tour");
        assertThat(w.trapMsrs()).isTrue();
        assertThat(w.configure(MachineConfig.builder("t", new byte[]{(byte) 0xF4})).build().trapMsrs()).isTrue();
        List<Walkthrough.Step> s = w.steps();
        assertThat(s).extracting(Walkthrough.Step::kind).containsExactly(Walkthrough.Kind.START, Walkthrough.Kind.BREAK,
                Walkthrough.Kind.BREAK, Walkthrough.Kind.PAUSE, Walkthrough.Kind.PAUSE, Walkthrough.Kind.END);
        assertThat(s).extracting(Walkthrough.Step::line).containsExactly(5, 12, 16, 19, 22, 25);
        assertThat(s.get(0).text()).isEqualTo("First line of a paragraph, and its second line.\n\nSecond paragraph.");
        assertThat(s.get(0).breakpointSpec()).isNull();
        assertThat(s.get(1).breakpointSpec()).isEqualTo("IO port=0x3f8 out");
        assertThat(s.get(1).codeAddress()).isEmpty();
        assertThat(s.get(2).breakpointSpec()).isEqualTo("DEBUG rip=0x1079");
        assertThat(s.get(2).codeAddress()).hasValue(0x1079);
        assertThat(s.get(2).target()).isEqualTo("exec 0x1079");
        assertThat(s.get(3).pauseMillis()).isEqualTo(Walkthrough.DEFAULT_PAUSE_MILLIS);
        assertThat(s.get(4).pauseMillis()).isEqualTo(350);
        assertThat(s.get(5).text()).isEqualTo("Text.");
    }

    @Test
    void kernelLinesPointAStepAtKernelEvents(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(Walkthrough.FILE_NAME), """
                walkthrough: T
                step: Paging on
                # a comment sits between 'step:' and 'at:' (after 'at:' a '#' line is text)
                at: exec 0x105d
                kernel: kvm_emulate_insn   mov CR0, eax
                kernel: kvm_msr
                The guest wrote CR0. Then it jumped.

                step: No pointers
                at: end
                The run ends. Nothing else.
                """);
        Walkthrough w = Walkthrough.load(dir).orElseThrow();
        Walkthrough.Step s = w.steps().get(0);
        assertThat(s.kernel()).containsExactly(new Walkthrough.KernelPointer("kvm_emulate_insn", "mov CR0, eax"),
                new Walkthrough.KernelPointer("kvm_msr", ""));
        assertThat(s.text()).isEqualTo("The guest wrote CR0. Then it jumped.");
        assertThat(w.steps().get(1).kernel()).isEmpty();
        Walkthrough.KernelPointer cr0 = s.kernel().get(0);
        assertThat(cr0.matches("kvm_emulate_insn", "emulated mov cr0, eax [0f 22 c0] at 0:105a (real)")).isTrue();
        assertThat(cr0.matches("kvm_emulate_insn", "emulated mov eax, cr0 [0f 20 c0] at 0:1051 (real)")).isFalse();
        assertThat(cr0.matches("kvm_pio", "mov cr0, eax")).isFalse();
        assertThat(s.kernel().get(1).matches("kvm_msr", "wrmsr msr 0xc0000080 = 0x100")).isTrue();
    }

    @Test
    void aSampleWithoutAWalkthroughHasNone(@TempDir Path dir) {
        assertThat(Walkthrough.load(dir)).isEmpty();
    }

    /** Each row: the file, its lines separated by ';', then the line the message must name and what it must say. */
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            walkthrough: T;;step: S;at: IOO port=0x3f8;Text.             | 4 | unknown exit reason 'IOO'
            walkthrough: T;step: S;at: IO prot=0x3f8;Text.               | 3 | unknown breakpoint condition 'prot'
            walkthrough: T;step: S;at: IO port=0x3f8 hit=many;Text.      | 3 | 'many' is not a whole number
            walkthrough: T;step: S;The text came first.;at: start        | 3 | needs its 'at:' line
            walkthrough: T;step: S;at: end;Text.;step: S2;at: IO;Text.   | 2 | must be the last step
            walkthrough: T;step: S;at: IO;Text.;step: S2;at: start;Text. | 5 | 'at: start' is for the steps before
            walkthrough: T;options: trap-msr;step: S;at: start;Text.     | 2 | unknown option 'trap-msr'
            ;# only a comment;step: S;at: start;Text.                    | 3 | 'walkthrough: TITLE'
            hello;step: S;at: start;Text.                                | 1 | the first line must be 'walkthrough:
            walkthrough: T;step: S;at: start;;step: S2;at: end;Text.     | 2 | step 'S' has no text
            walkthrough: T;step: S;at: exec;Text.                        | 3 | 'exec' takes one code address
            walkthrough: T;step: S;at: pause soon;Text.                  | 3 | milliseconds
            walkthrough: T;step: S;at: start;Text.;at: end               | 5 | already has its 'at:' line
            walkthrough: T;step: S;at: start;Text.;options: trap-msrs    | 5 | belongs before the first step
            walkthrough: T;                                              | 1 | has no steps
            walkthrough: T;step: S;at: start;kernel: Kvm-Pio;Text.       | 4 | needs a tracepoint name
            walkthrough: T;step: S;at: start;kernel:;Text.               | 4 | needs a tracepoint name
            walkthrough: T;step: S;at: start;Text.;kernel: kvm_pio       | 5 | between the step's 'at:' line and its text
            """)
    void aMalformedFileNamesItsFileAndLine(String source, int line, String problem, @TempDir Path dir)
            throws IOException {
        Path file = dir.resolve(Walkthrough.FILE_NAME);
        Files.writeString(file, source.replace(";", "\n"));
        assertThatThrownBy(() -> Walkthrough.load(dir))
                .isInstanceOf(GuestConfigException.class)
                .hasMessageStartingWith(file + ":" + line + ": ")
                .hasMessageContaining(problem);
    }
}
