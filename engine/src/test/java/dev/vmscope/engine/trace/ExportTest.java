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
        long n = PerfettoExport.write(s, w);
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
