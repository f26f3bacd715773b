package dev.vmscope.engine.trace;

import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEventStore;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.kernel.KernelTracer;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.testing.TracefsTests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kernel events in a trace file: recorded beside the exits, read back with no tracefs needed (the file carries the
 * recording kernel's formats), the same events, times, vCPUs, fields and counts; a run whose kernel events were
 * asked for but unavailable says why in the replay.
 */
class KernelTraceTest {
    @TempDir
    Path dir;

    @Test
    void kernelEventsComeBackFromTheFileExactly() throws Exception {
        TracefsTests.requireTracefs();
        Path file = dir.resolve("smp.vmtrace");
        ExitStore live = TraceFiles.recordGuest(file, GuestSpec.resolve(KvmTests.sample("smp"))
                .kernelEvents(KernelTracer.Options.DEFAULT).build());
        KernelEvents a = live.kernelEvents();
        assertThat(a.size()).isPositive();
        LoadedTrace t = TraceReader.open(file);
        assertThat(t.report().isClean()).as(t.report().toText()).isTrue();
        KernelEvents b = t.source().kernelEvents();
        assertThat(b.capture()).isEqualTo(a.capture());
        assertThat(b.size()).isEqualTo(a.size());
        assertThat(b.countsByName()).isEqualTo(a.countsByName());
        assertThat(b.lost()).isEqualTo(a.lost());
        for (long i = 0; i < a.size(); i++) {
            KernelEvent x = a.get(i);
            KernelEvent y = b.get(i);
            assertThat(y.timeNs()).isEqualTo(x.timeNs());
            assertThat(y.vcpu()).isEqualTo(x.vcpu());
            assertThat(y.record()).isEqualTo(x.record());
            assertThat(y.summary()).isEqualTo(x.summary());
        }
        for (int v = 0; v < 2; v++) {
            assertThat(b.countOf(v)).isEqualTo(a.countOf(v));
        }
        assertThat(Files.size(file)).as("deflated: well under the raw records").isLessThan(a.size() * 40);
    }

    @Test
    void aRunOverItsKernelEventBoundSpillsThemAndRecordsEveryOne() throws Exception {
        TracefsTests.requireTracefs();
        Path file = dir.resolve("ioloop-k.vmtrace");
        long keep = KernelEventStore.MIN_LIVE_EVENTS;
        ExitStore live = TraceFiles.recordGuest(file, GuestSpec.resolve(KvmTests.sample("ioloop")).maxExits(60_000)
                .kernelEvents(new KernelTracer.Options(false, KernelTracer.DEFAULT_BUFFER_KB, keep)).build());
        KernelEventStore a = (KernelEventStore) live.kernelEvents();
        assertThat(a.size()).as("several bounds' worth of events").isGreaterThan(3 * keep);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (a.blocksInMemory() > keep / 4096 + 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(a.blocksInMemory()).as("blocks left on the heap").isLessThanOrEqualTo((int) (keep / 4096 + 1));
        KernelEvents b = TraceReader.open(file).source().kernelEvents();
        assertThat(b.size()).as("the file has every event, spilled ones too").isEqualTo(a.size());
        for (long i = 0; i < a.size(); i++) {
            KernelEvent x = a.get(i);
            KernelEvent y = b.get(i);
            assertThat(x.timeNs()).isEqualTo(y.timeNs());
            assertThat(x.vcpu()).isEqualTo(y.vcpu());
            assertThat(x.record()).isEqualTo(y.record());
        }
        assertThat(a.countsByName()).isEqualTo(b.countsByName());
        // the exits' own view of the kernel: the events before each of a few exits, spilled or not
        for (long seq = 0; seq < live.size(); seq += live.size() / 50) {
            long before = seq == 0 ? Long.MIN_VALUE : live.columns().timeNs(seq - 1);
            assertThat(a.between(0, before, live.columns().timeNs(seq), 100)).extracting(KernelEvent::summary)
                    .isEqualTo(b.between(0, before, live.columns().timeNs(seq), 100).stream().map(KernelEvent::summary).toList());
        }
    }

    @Test
    void exportsCarryKernelRowsAndTracks() throws Exception {
        TracefsTests.requireTracefs();
        Path file = dir.resolve("hello-k.vmtrace");
        TraceFiles.recordGuest(file, GuestSpec.resolve(KvmTests.sample("hello"))
                .kernelEvents(KernelTracer.Options.DEFAULT).build());
        ExitStore s = TraceReader.open(file).source();
        KernelEvents k = s.kernelEvents();
        java.io.StringWriter csv = new java.io.StringWriter();
        assertThat(CsvExport.write(s, csv)).isEqualTo(s.size() + k.size());
        java.util.List<java.util.List<String>> rows = ExportTest.parseCsv(csv.toString());
        assertThat(rows.subList(1, rows.size())).allMatch(r -> r.size() == 8);
        assertThat(rows).filteredOn(r -> r.get(7).equals("kernel")).hasSize((int) k.size());
        // before the first exit's row come its kernel events, the last of them its kvm_userspace_exit
        int firstExit = 1;
        while (!rows.get(firstExit).get(7).equals("exit")) {
            firstExit++;
        }
        assertThat(rows.get(firstExit - 1).get(3)).isEqualTo("kvm_userspace_exit");
        assertThat(rows.subList(1, firstExit)).anyMatch(r -> r.get(3).equals("kvm_emulate_insn")
                && r.get(5).equals("0x1000") && r.get(4).contains("cld"));
        long last = Long.MIN_VALUE;
        for (java.util.List<String> r : rows.subList(1, rows.size())) {
            long t = Long.parseLong(r.get(1));
            assertThat(t).as("rows in time order").isGreaterThanOrEqualTo(last);
            last = t;
        }
        java.io.StringWriter json = new java.io.StringWriter();
        ChromeJsonExport.write(s, json);
        assertThat(json.toString()).contains("\"name\":\"vCPU 0 kernel\"").contains("\"tid\":1001,\"cat\":\"kernel\"")
                .contains("\"name\":\"kvm_pio\"");
        java.io.ByteArrayOutputStream proto = new java.io.ByteArrayOutputStream();
        PerfettoExport.write(s, proto);
        PerfettoTraceFile pt = PerfettoTraceFile.parse(proto.toByteArray());
        assertThat(pt.tracks.get(PerfettoExport.kernelTrack(0)).name()).isEqualTo("vCPU 0 kernel");
        assertThat(pt.events.stream().filter(e -> e.track() == PerfettoExport.kernelTrack(0)
                && "kvm_pio".equals(e.name()) && e.type() == PerfettoProto.TYPE_INSTANT)).isNotEmpty();
    }

    @Test
    void aFormat11TraceStillOpensWithoutKernelEvents() throws Exception {
        // samples/hello/hello.vmtrace as it was before format 1.2 (test resource)
        Path old = dir.resolve("hello-1.1.vmtrace");
        try (var in = KernelTraceTest.class.getResourceAsStream("/traces/hello-format-1.1.vmtrace")) {
            Files.copy(in, old);
        }
        LoadedTrace t = TraceReader.open(old);
        assertThat(t.report().isClean()).as(t.report().toText()).isTrue();
        assertThat(t.source().size()).isEqualTo(23);
        assertThat(t.source().console()).isEqualTo("Hello from real mode!\n");
        assertThat(t.source().kernelEvents().size()).isZero();
        assertThat(t.source().kernelEvents().capture().on()).isFalse();
        java.io.StringWriter csv = new java.io.StringWriter();
        assertThat(CsvExport.write(t.source(), csv)).isEqualTo(23);
    }

    @Test
    void aReplaySaysWhyKernelEventsWereOff() throws Exception {
        KvmTests.requireKvm();
        Path file = dir.resolve("hello.vmtrace");
        TraceFiles.recordGuest(file, GuestSpec.resolve(KvmTests.sample("hello")).build());
        KernelEvents off = TraceReader.open(file).source().kernelEvents();
        assertThat(off.capture().on()).isFalse();
        assertThat(off.size()).isZero();
        assertThat(off.capture().note()).contains("not captured");
    }
}
