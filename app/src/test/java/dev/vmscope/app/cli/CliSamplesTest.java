package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sample as a user runs it, {@code vmscope run samples/NAME --json}: the exit code scripts see, the outcome,
 * status and exit count in the JSON summary, and the serial output. Options per sample as in
 * samples/record-traces.sh (spin never ends by itself, ioloop's million exits are cut short).
 */
class CliSamplesTest {
    /**
     * What one sample does on this host: exit code, the JSON's outcome, status, exits and exitsByReason, and
     * the serial output ({@code console}: the start of stdout for flat guests, a line it contains for kernels).
     * {@code exits} -1 and {@code byReason} null where the counts depend on timing (mbkernel's UART interrupts).
     */
    record Expected(String name, List<String> options, int code, String outcome, int status, long exits,
                    String byReason, String console) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Expected halts(String name, long exits, String byReason, String console) {
        return new Expected(name, List.of(), 0, "HALTED", 0, exits, byReason, console);
    }

    static Stream<Expected> samples() {
        return Stream.of(
                halts("hello", 23, "{\"HLT\":1,\"IO\":22}", "Hello from real mode!\n"),
                halts("protected", 28, "{\"HLT\":1,\"IO\":27}", "Hello from protected mode!\n"),
                halts("longmode", 23, "{\"HLT\":1,\"IO\":22}", "Hello from long mode!\n"),
                halts("smp", 80, "{\"HLT\":2,\"IO\":78}",
                        "cpu0: ping 1\ncpu1: pong 1\ncpu0: ping 2\ncpu1: pong 2\ncpu0: ping 3\ncpu1: pong 3\n"),
                // the read above RAM answers all ones, and that is what the guest prints
                halts("mmio", 39, "{\"HLT\":1,\"IO\":34,\"MMIO\":4}", "mmio read 0xD0000020 = 0xFFFFFFFF\n"),
                halts("msr", 55, "{\"HLT\":1,\"IO\":54}",
                        "tsc ok\nsysenter_cs=0x00000008\nsysenter_esp=0x12345678\n"),
                halts("stringio", 52, "{\"HLT\":1,\"IO\":51}", "Hello from rep outsb: one instruction, one string!\n"),
                // this host is PVM: setting CR0.PG outside long mode raises #GP, no IDT, triple fault as the
                // first and only exit (samples/paging32/README.md); a hardware host is checked in the test
                new Expected("paging32", List.of(), 1, "TRIPLE_FAULT", 0, 1, "{\"SHUTDOWN\":1}", ""),
                new Expected("triplefault", List.of(), 1, "TRIPLE_FAULT", 0, 44, "{\"IO\":43,\"SHUTDOWN\":1}",
                        "Empty IDT, then UD2: expect a triple fault\n"),
                // prints its banner (9 IO exits), then spins in the guest until --timeout kicks it (1 INTR)
                new Expected("spin", List.of("--timeout", "0.5"), 0, "STOPPED", 0, 10, "{\"INTR\":1,\"IO\":9}",
                        "spinning\n"),
                new Expected("ioloop", List.of("--max-exits", "20000"), 0, "EXIT_LIMIT", 0, 20000, "{\"IO\":20000}",
                        ""),
                // writes 0x10 to port 0xF4: status (0x10 << 1) | 1 = 33 is both the exit code and the status
                new Expected("mbkernel", List.of(), 33, "DEBUG_EXIT", 33, -1, null, "all cpus up\n"),
                // 53 characters through putc, then 0x10 to port 0xF4: status 33
                new Expected("symbols", List.of(), 33, "DEBUG_EXIT", 33, 54, "{\"IO\":54}",
                        "Hello from an ELF kernel with symbols\ntick\ntick\ntick\n"));
    }

    private static String field(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertThat(m.find()).as("'%s' in %s", regex, json).isTrue();
        return m.group(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void runEndsWithTheSamplesExitCodeAndOutcome(Expected x) {
        CliCommandsTest.requireKvm();
        Stream<String> args = Stream.concat(Stream.of("run", CliCommandsTest.sample(x.name()).toString(), "--json"),
                x.options().stream());
        var r = CliErrorsTest.vmscope(args.toArray(String[]::new));
        assertThat(r.err()).as("nothing on stderr").isEmpty();
        String json = r.out().strip().lines().reduce((a, b) -> b).orElseThrow();
        String outcome = field(json, "\"outcome\":\"([A-Z_]+)\"");

        if (x.name().equals("paging32") && outcome.equals("HALTED")) {
            // a host with real VT-x/SVM paging: the sample does what its README says
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("Hello from paged protected mode (read via 0x0040xxxx)!\n");
            assertThat(field(json, "\"exits\":(\\d+)")).isEqualTo("56");
            return;
        }
        assertThat(r.code()).as("exit code").isEqualTo(x.code());
        assertThat(outcome).isEqualTo(x.outcome());
        assertThat(Integer.parseInt(field(json, "\"status\":(\\d+)"))).isEqualTo(x.status());
        if (x.exits() >= 0) {
            assertThat(Long.parseLong(field(json, "\"exits\":(\\d+)"))).as("exits").isEqualTo(x.exits());
            assertThat(field(json, "\"exitsByReason\":(\\{[^}]*})")).isEqualTo(x.byReason());
        }
        if (x.name().equals("mbkernel")) {
            assertThat(r.out()).startsWith("vmscope: loaded with the multiboot loader").contains(x.console());
        } else if (x.name().equals("symbols")) {
            assertThat(r.out()).startsWith("vmscope: loaded with the ELF loader").contains(x.console());
        } else {
            // stdout is the serial output, a blank line, then the JSON
            assertThat(r.out()).startsWith(x.console() + "\n{\"exits\":");
        }
    }

    @Test
    void theTripleFaultsSayWhereTheyHappened() {
        CliCommandsTest.requireKvm();
        var tf = CliErrorsTest.vmscope("run", CliCommandsTest.sample("triplefault").toString(), "--json");
        assertThat(tf.out()).contains("\"exitsByReason\":{\"IO\":43,\"SHUTDOWN\":1}")
                .contains("\"message\":\"triple fault on vCPU 0 at CS:EIP 0008:0000103b (linear 0x103b) (KVM_EXIT_SHUTDOWN)\"");
        var pg = CliErrorsTest.vmscope("run", CliCommandsTest.sample("paging32").toString());
        if (pg.code() == 1) {
            // the mov cr0 that sets PG (at 0x1079 in the image)
            assertThat(pg.out()).contains("outcome: TRIPLE_FAULT — triple fault on vCPU 0 at CS:EIP 0008:00001079");
        }
    }

    @Test
    void everySampleDirectoryIsCovered() throws IOException {
        // a new sample must get a row above, or it would silently go untested
        Path dir = CliCommandsTest.sample(".");
        List<String> onDisk;
        try (Stream<Path> s = Files.list(dir)) {
            onDisk = s.filter(p -> Files.isRegularFile(p.resolve("sample.properties")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(samples().map(Expected::name).sorted().toList()).isEqualTo(onDisk);
    }
}
