package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Exits as Chrome trace-event JSON ({@code export --format chrome-json}), which the Perfetto UI and
 * chrome://tracing open; for big runs prefer {@link PerfettoExport}'s protobuf (about a third of the size, and
 * the Perfetto UI loads it in far less memory).
 *
 * <p>One process (the guest) with one thread track per vCPU ({@code tid} = vCPU + 1, named "vCPU n"
 * by metadata events). Each exit is one complete event ({@code "ph":"X"}) over its {@link ExitSlices slice};
 * its name is the exit reason and its {@code args} are the {@link ExitArgs}. Times are µs with ns precision.
 * Breakpoint hits become instant events on their vCPU's track. Kernel events (when the run has them) go on a
 * kernel track per vCPU ({@code tid} = 1001 + vCPU, named "vCPU n kernel", sorted under its vCPU) as instant
 * events named by their tracepoint, with what they say in {@code args}. Streamed event by event.
 */
public final class ChromeJsonExport {
    private static final int PID = 1;
    /** Kernel tracks use tids from here on (vCPU n's is KERNEL_TID + n). */
    private static final int KERNEL_TID = 1001;

    private ChromeJsonExport() {
    }

    /** Writes {@code source} to {@code out} (not closed); returns the number of exit events. */
    public static long write(ExitSource source, Writer out) throws IOException {
        MachineInfo m = source.machine();
        int vcpus = Math.max(1, m.vcpus());
        StringBuilder b = new StringBuilder(512);
        b.append("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"guest\":").append(Json.quote(m.guestName()))
                .append(",\"imageSha256\":").append(Json.quote(m.imageSha256()))
                .append(",\"mode\":").append(Json.quote(m.mode()))
                .append(",\"snapshot\":").append(Json.quote(m.snapshotLevel()))
                .append(",\"hostKernel\":").append(Json.quote(m.hostKernel()))
                .append(",\"hostCpu\":").append(Json.quote(m.hostCpu()))
                .append(",\"startEpochMillis\":").append(m.startEpochMillis())
                .append("},\n\"traceEvents\":[\n");
        b.append("{\"ph\":\"M\",\"pid\":").append(PID).append(",\"name\":\"process_name\",\"args\":{\"name\":")
                .append(Json.quote("guest " + m.guestName())).append("}}");
        KernelEvents k = source.kernelEvents();
        for (int v = 0; v < vcpus; v++) {
            track(b, v + 1, "vCPU " + v, 2 * v);
            if (k.size() > 0) {
                track(b, KERNEL_TID + v, "vCPU " + v + " kernel", 2 * v + 1);
            }
        }
        out.append(b);
        ExitSlices slices = new ExitSlices(vcpus);
        JsonArgs args = new JsonArgs(b);
        long[] events = {0};
        try {
            source.scan(0, source.size(), r -> {
                b.setLength(0);
                event(b, r, slices, args);
                try {
                    out.append(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                events[0]++;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        ExitColumns c = source.columns();
        for (BreakpointHit h : source.breakpointHits()) {
            if (h.seq() < 0 || h.seq() >= c.size() || c.vcpu(h.seq()) >= vcpus) {
                continue;
            }
            b.setLength(0);
            b.append(",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":").append(PID).append(",\"tid\":")
                    .append(c.vcpu(h.seq()) + 1).append(",\"name\":")
                    .append(Json.quote("breakpoint " + h.breakpointId())).append(",\"ts\":");
            micros(b, c.timeNs(h.seq()));
            b.append(",\"args\":{\"seq\":").append(h.seq()).append(",\"description\":")
                    .append(Json.quote(h.description())).append("}}");
            out.append(b);
        }
        for (long i = 0; i < k.size(); i++) {
            KernelEvent e = k.get(i);
            b.setLength(0);
            b.append(",\n{\"ph\":\"i\",\"s\":\"t\",\"pid\":").append(PID).append(",\"tid\":")
                    .append(KERNEL_TID + e.vcpu()).append(",\"cat\":\"kernel\",\"name\":").append(Json.quote(e.name()))
                    .append(",\"ts\":");
            micros(b, Math.max(0, e.timeNs()));
            b.append(",\"args\":{\"index\":").append(i).append(",\"detail\":").append(Json.quote(e.summary()))
                    .append("}}");
            out.append(b);
        }
        out.write("\n]}\n");
        return events[0];
    }

    /** A named, sorted thread track. */
    private static void track(StringBuilder b, int tid, String name, int sortIndex) {
        b.append(",\n{\"ph\":\"M\",\"pid\":").append(PID).append(",\"tid\":").append(tid)
                .append(",\"name\":\"thread_name\",\"args\":{\"name\":").append(Json.quote(name)).append("}}");
        b.append(",\n{\"ph\":\"M\",\"pid\":").append(PID).append(",\"tid\":").append(tid)
                .append(",\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":").append(sortIndex).append("}}");
    }

    private static void event(StringBuilder b, ExitRecord r, ExitSlices slices, JsonArgs args) {
        slices.next(r);
        b.append(",\n{\"ph\":\"X\",\"pid\":").append(PID).append(",\"tid\":").append(r.vcpu() + 1)
                .append(",\"cat\":\"exit\",\"name\":").append(Json.quote(CsvExport.reasonName(r))).append(",\"ts\":");
        micros(b, slices.start);
        b.append(",\"dur\":");
        micros(b, slices.end - slices.start);
        b.append(",\"args\":{");
        args.first = true;
        ExitArgs.visit(r, args);
        b.append("}}");
    }

    /** Writes the args as JSON members: hex values as "0x…" strings. */
    private static final class JsonArgs implements ExitArgs.Sink {
        private final StringBuilder b;
        boolean first;

        JsonArgs(StringBuilder b) {
            this.b = b;
        }

        private StringBuilder name(String n) {
            if (!first) {
                b.append(',');
            }
            first = false;
            return b.append('"').append(n).append("\":");
        }

        @Override
        public void number(String n, long v) {
            name(n).append(v);
        }

        @Override
        public void hex(String n, long v) {
            name(n).append("\"0x").append(Long.toHexString(v)).append('"');
        }

        @Override
        public void flag(String n, boolean v) {
            name(n).append(v);
        }

        @Override
        public void text(String n, String v) {
            name(n).append(Json.quote(v));
        }
    }

    /** ns as µs with three decimals, e.g. 1234567 -> 1234.567. */
    static void micros(StringBuilder b, long ns) {
        b.append(ns / 1000).append('.');
        long f = ns % 1000;
        if (f < 100) {
            b.append('0');
        }
        if (f < 10) {
            b.append('0');
        }
        b.append(f);
    }
}
