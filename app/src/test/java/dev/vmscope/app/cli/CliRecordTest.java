package dev.vmscope.app.cli;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.trace.BreakpointHit;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.LoadedTrace;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.TraceReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run --record} and {@code debug --record} on real guests: the file, reopened with the engine's reader,
 * holds exactly the exits the command reported, the serial output, the breakpoint hits and the outcome.
 */
class CliRecordTest {
    private static final String HELLO = "Hello from real mode!\n";

    @TempDir
    Path tmp;

    /** {@code vmscope debug ARGS} in-process, with {@code script} as its stdin (as a pipe would give it). */
    static CliErrorsTest.Result debug(String script, String... args) {
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] all = new String[args.length + 1];
            all[0] = "debug";
            System.arraycopy(args, 0, all, 1, args.length);
            return CliErrorsTest.vmscope(all);
        } finally {
            System.setIn(saved);
        }
    }

    private static LoadedTrace open(Path file) throws IOException {
        LoadedTrace t = TraceReader.open(file);
        assertThat(t.report().isClean()).as(t.report().toText()).isTrue();
        return t;
    }

    private static long count(ExitStore s, KvmExitReason r) {
        long n = 0;
        for (long i = 0; i < s.size(); i++) {
            if (s.columns().reasonCode(i) == r.code) {
                n++;
            }
        }
        return n;
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("'%s' in:%n%s", regex, text).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void runRecordsEveryExitItReportsAndTheSerialOutput() throws IOException {
        CliCommandsTest.requireKvm();
        Path file = tmp.resolve("hello.vmtrace");
        var r = CliErrorsTest.vmscope("run", CliCommandsTest.sample("hello").toString(), "--record", file.toString(),
                "--json");
        assertThat(r.code()).isZero();
        long reported = number(r.out(), "\\{\"exits\":(\\d+),");
        String note = "recorded ([\\d,]+) exits to " + Pattern.quote(file.toString());
        assertThat(number(r.out(), note)).isEqualTo(reported);

        ExitStore s = open(file).source();
        assertThat(s.size()).isEqualTo(reported).isEqualTo(23);
        assertThat(count(s, KvmExitReason.IO)).isEqualTo(22);
        assertThat(count(s, KvmExitReason.HLT)).isEqualTo(1);
        assertThat(s.console()).isEqualTo(HELLO);
        assertThat(s.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
        assertThat(s.machine().guestName()).isEqualTo("hello");
        // the decoded exits are the guest's own: 'H' first, HLT last
        assertThat(s.get(0).exit().detail()).isEqualTo("out 0x3f8 size 1 = 0x48 'H'");
        assertThat(s.get(22).reason()).isEqualTo(KvmExitReason.HLT);
        assertThat(s.breakpointHits()).isEmpty();
    }

    @Test
    void runRecordsBothVcpusOfTheSmpSample() throws IOException {
        CliCommandsTest.requireKvm();
        Path file = tmp.resolve("smp.vmtrace");
        var r = CliErrorsTest.vmscope("run", CliCommandsTest.sample("smp").toString(), "--record", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("recorded 80 exits to " + file).contains("exits: 80 ");

        ExitStore s = open(file).source();
        assertThat(s.machine().vcpus()).isEqualTo(2);
        assertThat(s.size()).isEqualTo(80);
        long onCpu1 = 0;
        for (long i = 0; i < s.size(); i++) {
            onCpu1 += s.columns().vcpu(i);
        }
        assertThat(onCpu1).as("each vCPU prints 3 lines of 13 bytes and halts").isEqualTo(40);
        assertThat(s.console()).isEqualTo("cpu0: ping 1\ncpu1: pong 1\ncpu0: ping 2\ncpu1: pong 2\ncpu0: ping 3\n"
                + "cpu1: pong 3\n");
    }

    @Test
    void aGuestThatTripleFaultsStillLeavesACompleteTrace() throws IOException {
        CliCommandsTest.requireKvm();
        Path file = tmp.resolve("tf.vmtrace");
        var r = CliErrorsTest.vmscope("run", CliCommandsTest.sample("triplefault").toString(), "--record",
                file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("recorded 44 exits to " + file);

        ExitStore s = open(file).source();
        assertThat(s.size()).isEqualTo(44);
        assertThat(s.outcome().kind()).isEqualTo(Outcome.Kind.TRIPLE_FAULT);
        assertThat(s.console()).isEqualTo("Empty IDT, then UD2: expect a triple fault\n");
        ExitRecord last = s.get(43);
        assertThat(last.reason()).isEqualTo(KvmExitReason.SHUTDOWN);
        assertThat(last.state().rip()).as("the ud2").isEqualTo(0x103B);
    }

    @Test
    void runWithATimeoutRecordsTheStop() throws IOException {
        CliCommandsTest.requireKvm();
        Path file = tmp.resolve("spin.vmtrace");
        var r = CliErrorsTest.vmscope("run", CliCommandsTest.sample("spin").toString(), "--timeout", "0.3",
                "--record", file.toString());
        assertThat(r.code()).isZero();
        long reported = number(r.out(), "recorded ([\\d,]+) exits");
        ExitStore s = open(file).source();
        assertThat(s.size()).isEqualTo(reported);
        assertThat(s.outcome().kind()).isEqualTo(Outcome.Kind.STOPPED);
        assertThat(s.console()).startsWith("spinning");
        // the stop kicks the spinning vCPU out of KVM_RUN: the last exit is that INTR
        assertThat(s.get(s.size() - 1).reason()).isEqualTo(KvmExitReason.INTR);
    }

    @Test
    void debugRecordsTheSessionWithItsBreakpointHits() throws IOException {
        CliCommandsTest.requireKvm();
        Path file = tmp.resolve("debug.vmtrace");
        var r = debug("""
                break exit IO port=0x3f8
                continue
                continue
                delete 1
                continue
                quit
                """, CliCommandsTest.sample("hello").toString(), "--record", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("[breakpoint 1: exit IO port=0x3f8]").contains("finished: HALTED")
                .contains("recorded 23 exits to " + file);

        ExitStore s = open(file).source();
        assertThat(s.size()).isEqualTo(23);
        assertThat(s.console()).isEqualTo(HELLO);
        assertThat(s.outcome().kind()).isEqualTo(Outcome.Kind.HALTED);
        assertThat(s.breakpointHits()).extracting(BreakpointHit::seq).containsExactly(0L, 1L);
        assertThat(s.breakpointHits()).extracting(BreakpointHit::breakpointId).containsOnly(1);
        assertThat(s.breakpointHits().get(0).description()).isEqualTo("exit IO port=0x3f8");
        // the hits point at the exits they stopped on
        assertThat(((KvmExit.Io) s.get(0).exit()).value()).isEqualTo('H');
        assertThat(((KvmExit.Io) s.get(1).exit()).value()).isEqualTo('e');
    }

    @Test
    void quittingADebugSessionKeepsWhatRanUntilThen() throws IOException {
        CliCommandsTest.requireKvm();
        Path file = tmp.resolve("quit.vmtrace");
        var r = debug("""
                break exit IO port=0x3f8 hit=5
                continue
                quit
                """, CliCommandsTest.sample("hello").toString(), "--record", file.toString());
        assertThat(r.code()).as("a session the user ended is not a failure").isZero();
        assertThat(r.out()).contains("stopped: #4 vcpu 0 IO out 0x3f8 size 1 = 0x6f 'o'");
        long reported = number(r.out(), "recorded ([\\d,]+) exits");

        ExitStore s = open(file).source();
        assertThat(s.size()).isEqualTo(reported).isGreaterThanOrEqualTo(5);
        assertThat(s.console()).startsWith("Hello").doesNotContain("real");
        assertThat(s.breakpointHits()).extracting(BreakpointHit::seq).containsExactly(4L);
        for (int i = 0; i < 5; i++) {
            assertThat(((KvmExit.Io) s.get(i).exit()).value()).isEqualTo("Hello".charAt(i));
        }
    }
}
