package dev.vmscope.engine.trace;

import dev.vmscope.engine.testing.MiniJson;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** CSV and Perfetto exports, parsed back and checked against the exits they came from. */
class ExportTest {
    @TempDir
    Path dir;

    @Test
    void perfettoOfARealTwoVcpuRecording() throws Exception {
        Path f = dir.resolve("smp-loop.vmtrace");
        TraceFiles.recordGuest(f, MachineConfig.builder("smp-loop", TraceRecordingTest.ioloop(2_000)).vcpus(2).build());
        ExitStore s = TraceReader.open(f).source();
        assertThat(s.size()).isEqualTo(4_002);
        checkPerfetto(s, true);
    }

    @Test
    void perfettoOfASyntheticRunWithSkewedClocks() throws IOException {
        TraceFiles.Synthetic syn = TraceFiles.synthetic(dir.resolve("syn.vmtrace"), 5, 3, 3_000, 500);
        checkPerfetto(TraceReader.open(dir.resolve("syn.vmtrace")).source(), false);
        assertThat(syn.live().breakpointHits()).isNotEmpty();
    }

    /** Valid JSON; one named track per vCPU; one X event per exit, in seq order; slices never overlap. */
    @SuppressWarnings("unchecked")
    private static void checkPerfetto(ExitSource s, boolean real) throws IOException {
        StringWriter w = new StringWriter();
        long n = ChromeJsonExport.write(s, w);
        assertThat(n).isEqualTo(s.size());
        Map<String, Object> root = (Map<String, Object>) MiniJson.parse(w.toString());
        List<Map<String, Object>> events = (List<Map<String, Object>>) root.get("traceEvents");
        Map<Double, String> threadNames = new HashMap<>();
        List<Map<String, Object>> slices = new ArrayList<>();
        int instants = 0;
        for (Map<String, Object> e : events) {
            switch ((String) e.get("ph")) {
                case "M" -> {
                    if (e.get("name").equals("thread_name")) {
                        threadNames.put((Double) e.get("tid"), (String) ((Map<String, Object>) e.get("args")).get("name"));
                    }
                }
                case "X" -> slices.add(e);
                case "i" -> instants++;
                default -> throw new AssertionError("unexpected event " + e);
            }
        }
        int vcpus = s.machine().vcpus();
        assertThat(threadNames).hasSize(vcpus);
        for (int v = 0; v < vcpus; v++) {
            assertThat(threadNames.get((double) v + 1)).isEqualTo("vCPU " + v);
        }
        assertThat(slices).hasSize((int) s.size());
        assertThat(instants).isEqualTo(s.breakpointHits().size());
        Map<Double, double[]> lastOnTrack = new HashMap<>();   // tid -> {ts, end}
        long seq = 0;
        for (Map<String, Object> e : slices) {
            Map<String, Object> args = (Map<String, Object>) e.get("args");
            ExitRecord r = s.get(seq);
            assertThat(((Double) args.get("seq")).longValue()).isEqualTo(seq);
            assertThat(e.get("name")).isEqualTo(CsvExport.reasonName(r));
            assertThat(e.get("tid")).isEqualTo(r.vcpu() + 1.0);
            assertThat(e.get("pid")).isEqualTo(1.0);
            assertThat(args.get("rip")).isEqualTo("0x" + Long.toHexString(r.state().rip()));
            double ts = (Double) e.get("ts");
            double dur = (Double) e.get("dur");
            assertThat(dur).isGreaterThanOrEqualTo(0);
            double[] last = lastOnTrack.get((Double) e.get("tid"));
            if (last != null) {
                assertThat(ts).as("ts of exit %d after the slice before it on its track", seq)
                        .isGreaterThanOrEqualTo(last[0]).isGreaterThanOrEqualTo(last[1] - 1e-6);
            }
            lastOnTrack.put((Double) e.get("tid"), new double[]{ts, ts + dur});
            if (real) {   // KVM's own timing needs no clamping: the slice is exactly the guest time
                assertThat(ts + dur).isCloseTo(r.timeNs() / 1e3, org.assertj.core.data.Offset.offset(1e-3));
                assertThat(dur).isCloseTo(r.guestNs() / 1e3, org.assertj.core.data.Offset.offset(1e-3));
                assertThat(args.get("port")).isIn("0x80", "0x3f8", null);
            }
            seq++;
        }
    }

    @Test
    void perfettoProtobufOfARealTwoVcpuRecordingReadsBack() throws Exception {
        Path f = dir.resolve("smp-loop.vmtrace");
        TraceFiles.recordGuest(f, MachineConfig.builder("smp-loop", TraceRecordingTest.ioloop(2_000)).vcpus(2).build());
        checkProtobuf(TraceReader.open(f).source());
    }

    @Test
    void perfettoProtobufOfASyntheticRunWithSkewedClocksAndBreakpointHits() throws IOException {
        TraceFiles.synthetic(dir.resolve("syn.vmtrace"), 5, 3, 3_000, 500);
        ExitStore s = TraceReader.open(dir.resolve("syn.vmtrace")).source();
        PerfettoTraceFile t = checkProtobuf(s);
        long instants = t.events.stream().filter(e -> e.type() == PerfettoProto.TYPE_INSTANT).count();
        assertThat(instants).isEqualTo(s.breakpointHits().size()).isPositive();
    }

    /** Perfetto's own trace processor, where it is installed (the Python package {@code perfetto}). */
    @Test
    void perfettoProtobufLoadsInPerfettosTraceProcessor() throws Exception {
        Path f = dir.resolve("smp-loop.vmtrace");
        TraceFiles.recordGuest(f, MachineConfig.builder("smp-loop", TraceRecordingTest.ioloop(500)).vcpus(2).build());
        ExitStore s = TraceReader.open(f).source();
        Path out = dir.resolve("smp.perfetto-trace");
        try (var os = java.nio.file.Files.newOutputStream(out)) {
            PerfettoExport.write(s, os);
        }
        String script = "import sys\nfrom perfetto.trace_processor import TraceProcessor\n"
                + "tp = TraceProcessor(trace=sys.argv[1])\n"
                + "q = lambda sql: next(iter(tp.query(sql))).c\n"
                + "print(q('select count(*) as c from slice where category = \\'exit\\''),"
                + " q('select count(distinct track_id) as c from slice where category = \\'exit\\''))\n";
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c", script, out.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("python3 is not installed: Perfetto's trace processor check skipped");
            return;
        }
        String text = new String(p.getInputStream().readAllBytes()).strip();
        int code = p.waitFor();
        if (code != 0 && text.contains("No module named 'perfetto'")) {
            org.junit.jupiter.api.Assumptions.abort("the Python package perfetto is not installed (pip install perfetto):"
                    + " Perfetto's trace processor check skipped; the protobuf read-back tests still ran");
        }
        assertThat(code).as(text).isZero();
        String[] last = text.lines().reduce((a, b) -> b).orElse("").trim().split("\\s+");
        assertThat(Long.parseLong(last[0])).isEqualTo(s.size());
        assertThat(Long.parseLong(last[1])).isEqualTo(2);
    }

    /**
     * The protobuf read back with protobuf-java: a process, one thread track per vCPU and a counter track;
     * for every exit, in seq order, a SLICE_BEGIN named by its reason on its vCPU's track carrying its seq and
     * RIP, then a SLICE_END on the same track; slices never overlap on a track; an exit-rate counter whose
     * values add up to the exits.
     */
    private static PerfettoTraceFile checkProtobuf(ExitSource s) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        assertThat(PerfettoExport.write(s, bytes)).isEqualTo(s.size());
        PerfettoTraceFile t = PerfettoTraceFile.parse(bytes.toByteArray());
        int vcpus = s.machine().vcpus();
        assertThat(t.tracks.get(PerfettoExport.PROCESS_TRACK).process()).isTrue();
        for (int v = 0; v < vcpus; v++) {
            PerfettoTraceFile.Track tr = t.tracks.get(PerfettoExport.vcpuTrack(v));
            assertThat(tr.name()).isEqualTo("vCPU " + v);
            assertThat(tr.tid()).isEqualTo(v + 1);
            assertThat(tr.parent()).isEqualTo(PerfettoExport.PROCESS_TRACK);
        }
        assertThat(t.tracks.get(PerfettoExport.RATE_TRACK).counter()).isTrue();
        assertThat(t.tracks).hasSize(vcpus * (s.kernelEvents().size() > 0 ? 2 : 1) + 2);

        Map<Long, Long> open = new HashMap<>();      // track -> seq of its open slice
        Map<Long, Long> lastEnd = new HashMap<>();
        long seq = 0;
        List<PerfettoTraceFile.Event> counters = new ArrayList<>();
        for (PerfettoTraceFile.Event e : t.events) {
            assertThat(e.sequence()).isEqualTo(1);
            switch (e.type()) {
                case PerfettoProto.TYPE_SLICE_BEGIN -> {
                    ExitRecord r = s.get(seq);
                    assertThat(e.annotations().get("seq")).isEqualTo(seq);
                    assertThat(e.track()).as("track of exit %d", seq).isEqualTo(PerfettoExport.vcpuTrack(r.vcpu()));
                    assertThat(e.name()).isEqualTo(CsvExport.reasonName(r));
                    assertThat(e.annotations().get("rip")).isEqualTo(r.state().rip());
                    assertThat(e.annotations().get("detail")).isEqualTo(r.exit().detail());
                    assertThat(open.put(e.track(), seq)).as("a slice still open on the track of exit %d", seq).isNull();
                    assertThat(e.timeNs()).isGreaterThanOrEqualTo(lastEnd.getOrDefault(e.track(), 0L));
                    seq++;
                }
                case PerfettoProto.TYPE_SLICE_END -> {
                    Long begun = open.remove(e.track());
                    assertThat(begun).as("an end without a begin on track %d", e.track()).isNotNull();
                    ExitRecord r = s.get(begun);
                    assertThat(e.timeNs()).isGreaterThanOrEqualTo(r.timeNs());
                    lastEnd.put(e.track(), e.timeNs());
                }
                case PerfettoProto.TYPE_COUNTER -> {
                    assertThat(e.track()).isEqualTo(PerfettoExport.RATE_TRACK);
                    assertThat(e.counterValue()).isNotNegative();
                    counters.add(e);
                }
                case PerfettoProto.TYPE_INSTANT -> assertThat(t.tracks).containsKey(e.track());
                default -> throw new AssertionError("unexpected event type " + e.type());
            }
        }
        assertThat(seq).isEqualTo(s.size());
        assertThat(open).isEmpty();
        assertThat(counters.size()).isGreaterThan(1);
        long width = counters.get(1).timeNs() - counters.get(0).timeNs();
        double exits = 0;
        for (int i = 0; i < counters.size(); i++) {
            assertThat(counters.get(i).timeNs()).isEqualTo(counters.get(0).timeNs() + i * width);
            exits += counters.get(i).counterValue() * width / 1e9;
        }
        assertThat(exits).isCloseTo(s.size(), org.assertj.core.data.Offset.offset(0.5));
        return t;
    }

    @Test
    void csvHasOneRowPerExitAndQuotesWhatNeedsIt() throws IOException {
        TraceFiles.Synthetic syn = TraceFiles.synthetic(dir.resolve("csv.vmtrace"), 9, 2, 2_000, 400);
        ExitStore s = TraceReader.open(dir.resolve("csv.vmtrace")).source();
        StringWriter w = new StringWriter();
        assertThat(CsvExport.write(s, w)).isEqualTo(2_000);
        List<List<String>> rows = parseCsv(w.toString());
        assertThat(rows).hasSize(2_001);
        assertThat(String.join(",", rows.get(0))).isEqualTo(CsvExport.HEADER);
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            ExitRecord r = syn.exits().get(i - 1);
            assertThat(row).hasSize(8);
            assertThat(row.get(7)).isEqualTo("exit");
            assertThat(row.get(0)).isEqualTo(String.valueOf(r.seq()));
            assertThat(row.get(1)).isEqualTo(String.valueOf(r.timeNs()));
            assertThat(row.get(4)).isEqualTo(r.exit().detail());
        }
        StringBuilder b = new StringBuilder();
        CsvExport.field(b, "say \"hi\", then\nleave");
        assertThat(b).hasToString("\"say \"\"hi\"\", then\nleave\"");
    }

    /** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                f.append(c);
            }
        }
        return rows;
    }
}
