package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorded trace committed beside every sample (samples/record-traces.sh) opens cleanly without KVM and
 * still matches what the sample does today.
 */
class BundledTracesTest {
    @TestFactory
    Stream<DynamicTest> everySampleHasACleanTrace() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(KvmTests.samples())) {
            dirs = s.filter(GuestSpec::isSampleDir).sorted().toList();
        }
        assertThat(dirs).hasSizeGreaterThan(10);
        return dirs.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> {
            Path trace = d.resolve(d.getFileName() + ".vmtrace");
            assertThat(trace).as("run samples/record-traces.sh").exists();
            LoadedTrace t = TraceReader.open(trace);
            assertThat(t.report().isClean()).as(t.report().summary()).isTrue();
            ExitSource src = t.source();
            assertThat(src.size()).isPositive();
            assertThat(src.outcome()).isNotNull();
            assertThat(src.machine().guestName()).isEqualTo(d.getFileName().toString());
            assertThat(src.get(src.size() - 1)).isNotNull();
        }));
    }

    @Test
    void helloTraceMatchesAFreshRun() throws IOException {
        LoadedTrace t = TraceReader.open(KvmTests.sample("hello").resolve("hello.vmtrace"));
        GuestRun live = GuestRun.sample("hello");
        List<ExitRecord> recorded = new ArrayList<>();
        t.source().scan(0, t.source().size(), recorded::add);
        assertThat(recorded).hasSameSizeAs(live.exits());
        for (int i = 0; i < recorded.size(); i++) {
            assertThat(recorded.get(i).exit()).isEqualTo(live.exits().get(i).exit());
            assertThat(recorded.get(i).state().rip()).isEqualTo(live.exits().get(i).state().rip());
        }
        assertThat(t.source().console()).isEqualTo(live.console());
    }
}
