package dev.vmscope.engine.trace;

import com.google.protobuf.CodedOutputStream;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import static dev.vmscope.engine.trace.PerfettoProto.*;

/**
 * Exits in Perfetto's own protobuf trace format ({@code export --format perfetto}), which the Perfetto UI
 * (ui.perfetto.dev) and its trace processor open directly; the right choice past a few hundred thousand exits,
 * where the JSON of {@link ChromeJsonExport} is three times larger and far heavier to load.
 *
 * <p>The file is a {@code Trace}: a stream of {@code TracePacket}s on one packet sequence. First the tracks,
 * each a {@code TrackDescriptor}: the guest as a process, one thread track per vCPU ("vCPU n", tid n + 1) and a
 * counter track with the exit rate. Then each exit as a slice on its vCPU's track (a {@code TrackEvent} of type
 * SLICE_BEGIN at the start of its {@link ExitSlices slice}, named by the exit reason and carrying the
 * {@link ExitArgs} as debug annotations, and a SLICE_END at the exit); the exit rate (exits per second in
 * about 2,000 equal buckets over the run) as COUNTER events in time order between them; breakpoint hits as
 * INSTANT events; kernel events (when the run has them) as INSTANT events named by their tracepoint on a
 * kernel thread track per vCPU ("vCPU n kernel", tid 1001 + n), with what they say as a "detail"
 * annotation. Timestamps are the run's nanoseconds.
 *
 * <p>Written with protobuf-java's {@link CodedOutputStream} (field numbers in {@link PerfettoProto}), one packet
 * at a time through a few reused buffers: memory stays flat however long the run.
 */
public final class PerfettoExport {
    /** Track uuids: the guest process, the exit-rate counter, then one per vCPU. */
    static final long PROCESS_TRACK = 1;
    static final long RATE_TRACK = 2;
    private static final long VCPU_TRACK_BASE = 100;
    private static final long KERNEL_TRACK_BASE = 10_000;
    private static final int KERNEL_TID = 1001;
    private static final int PID = 1;
    private static final int SEQUENCE = 1;
    private static final int RATE_BUCKETS = 2_000;
    /** The name of the counter track with the exit rate. */
    public static final String RATE_TRACK_NAME = "exits per second";

    private final CodedOutputStream out;
    private final Message packet = new Message();
    private final Message body = new Message();
    private final Message leaf = new Message();

    private PerfettoExport(OutputStream os) {
        out = CodedOutputStream.newInstance(os, 1 << 16);
    }

    /** The track uuid of vCPU {@code v}'s slices. */
    public static long vcpuTrack(int v) {
        return VCPU_TRACK_BASE + v;
    }

    /** The track uuid of vCPU {@code v}'s kernel events. */
    public static long kernelTrack(int v) {
        return KERNEL_TRACK_BASE + v;
    }

    /** Writes {@code source} to {@code os} (flushed, not closed); returns the number of exit slices. */
    public static long write(ExitSource source, OutputStream os) throws IOException {
        return new PerfettoExport(os).writeAll(source);
    }

    private long writeAll(ExitSource source) throws IOException {
        MachineInfo m = source.machine();
        int vcpus = Math.max(1, m.vcpus());
        KernelEvents k = source.kernelEvents();
        tracks(m, vcpus, k.size() > 0);
        ExitRate rate = new ExitRate(source.columns(), RATE_BUCKETS);
        ExitSlices slices = new ExitSlices(vcpus);
        Annotations args = new Annotations();
        long[] count = {0};
        try {
            source.scan(0, source.size(), r -> {
                try {
                    slices.next(r);
                    while (rate.hasBucketAtOrBefore(slices.start)) {
                        counter(rate.bucketStart(), rate.perSecond());
                        rate.advance();
                    }
                    exit(r, slices, args);
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        while (rate.hasBucket()) {
            counter(rate.bucketStart(), rate.perSecond());
            rate.advance();
        }
        ExitColumns c = source.columns();
        for (BreakpointHit h : source.breakpointHits()) {
            if (h.seq() >= 0 && h.seq() < c.size() && c.vcpu(h.seq()) < vcpus) {
                event(c.timeNs(h.seq()), TYPE_INSTANT, vcpuTrack(c.vcpu(h.seq())), "breakpoint " + h.breakpointId());
                annotate("seq", o -> o.writeInt64(ANNOTATION_INT, h.seq()));
                annotate("description", o -> o.writeString(ANNOTATION_STRING, h.description()));
                endEvent();
            }
        }
        for (long i = 0; i < k.size(); i++) {
            KernelEvent e = k.get(i);
            if (e.vcpu() >= 0 && e.vcpu() < vcpus) {
                event(Math.max(0, e.timeNs()), TYPE_INSTANT, kernelTrack(e.vcpu()), e.name());
                body.out.writeString(EVENT_CATEGORIES, "kernel");
                annotate("detail", o -> o.writeString(ANNOTATION_STRING, e.summary()));
                endEvent();
            }
        }
        out.flush();
        return count[0];
    }

    /** The process, one thread track per vCPU (and its kernel track), the counter track. */
    private void tracks(MachineInfo m, int vcpus, boolean kernel) throws IOException {
        body.clear();
        body.out.writeUInt64(TRACK_UUID, PROCESS_TRACK);
        leaf.clear();
        leaf.out.writeInt32(PROCESS_PID, PID);
        leaf.out.writeString(PROCESS_NAME, "guest " + m.guestName());
        leaf.into(body, TRACK_PROCESS);
        descriptor(true);
        for (int v = 0; v < vcpus; v++) {
            thread(vcpuTrack(v), v + 1, "vCPU " + v);
            if (kernel) {
                thread(kernelTrack(v), KERNEL_TID + v, "vCPU " + v + " kernel");
            }
        }
        body.clear();
        body.out.writeUInt64(TRACK_UUID, RATE_TRACK);
        body.out.writeUInt64(TRACK_PARENT_UUID, PROCESS_TRACK);
        body.out.writeString(TRACK_NAME, RATE_TRACK_NAME);
        leaf.clear();
        leaf.out.writeString(COUNTER_UNIT_NAME, "exits/s");
        leaf.into(body, TRACK_COUNTER);
        descriptor(false);
    }

    private void thread(long uuid, int tid, String name) throws IOException {
        body.clear();
        body.out.writeUInt64(TRACK_UUID, uuid);
        body.out.writeUInt64(TRACK_PARENT_UUID, PROCESS_TRACK);
        body.out.writeString(TRACK_NAME, name);
        leaf.clear();
        leaf.out.writeInt32(THREAD_PID, PID);
        leaf.out.writeInt32(THREAD_TID, tid);
        leaf.out.writeString(THREAD_NAME, name);
        leaf.into(body, TRACK_THREAD);
        descriptor(false);
    }

    private void descriptor(boolean first) throws IOException {
        packet.clear();
        packet.out.writeUInt32(PACKET_SEQUENCE_ID, SEQUENCE);
        if (first) {
            packet.out.writeUInt32(PACKET_SEQUENCE_FLAGS, SEQ_INCREMENTAL_STATE_CLEARED);
        }
        body.into(packet, PACKET_TRACK_DESCRIPTOR);
        packet.into(out, TRACE_PACKET);
    }

    private void exit(ExitRecord r, ExitSlices s, Annotations args) throws IOException {
        long track = vcpuTrack(r.vcpu());
        event(s.start, TYPE_SLICE_BEGIN, track, CsvExport.reasonName(r));
        body.out.writeString(EVENT_CATEGORIES, "exit");
        ExitArgs.visit(r, args);
        endEvent();
        event(s.end, TYPE_SLICE_END, track, null);
        endEvent();
    }

    private void counter(long timeNs, double value) throws IOException {
        event(timeNs, TYPE_COUNTER, RATE_TRACK, null);
        body.out.writeDouble(EVENT_DOUBLE_COUNTER_VALUE, value);
        endEvent();
    }

    /** Starts a TrackEvent packet in {@link #body}; add fields, then {@link #endEvent}. */
    private void event(long timeNs, int type, long track, String name) throws IOException {
        packet.clear();
        packet.out.writeUInt64(PACKET_TIMESTAMP, timeNs);
        packet.out.writeUInt32(PACKET_SEQUENCE_ID, SEQUENCE);
        body.clear();
        body.out.writeEnum(EVENT_TYPE, type);
        body.out.writeUInt64(EVENT_TRACK_UUID, track);
        if (name != null) {
            body.out.writeString(EVENT_NAME, name);
        }
    }

    private void endEvent() throws IOException {
        body.into(packet, PACKET_TRACK_EVENT);
        packet.into(out, TRACE_PACKET);
    }

    /** One debug annotation on the event being built: its name, then the value {@code value} writes. */
    private void annotate(String name, Field value) throws IOException {
        leaf.clear();
        leaf.out.writeString(ANNOTATION_NAME, name);
        value.write(leaf.out);
        leaf.into(body, EVENT_DEBUG_ANNOTATIONS);
    }

    /** Writes one field of a message. */
    private interface Field {
        void write(CodedOutputStream o) throws IOException;
    }

    /** The exit's args as debug annotations of the event being built (hex values as pointers). */
    private final class Annotations implements ExitArgs.Sink {
        @Override
        public void number(String name, long value) {
            put(name, o -> o.writeInt64(ANNOTATION_INT, value));
        }

        @Override
        public void hex(String name, long value) {
            put(name, o -> o.writeUInt64(ANNOTATION_POINTER, value));
        }

        @Override
        public void flag(String name, boolean value) {
            put(name, o -> o.writeBool(ANNOTATION_BOOL, value));
        }

        @Override
        public void text(String name, String value) {
            put(name, o -> o.writeString(ANNOTATION_STRING, value));
        }

        private void put(String name, Field value) {
            try {
                annotate(name, value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One message being built, reused: its fields go through a CodedOutputStream into a growable buffer. */
    private static final class Message {
        private final Bytes bytes = new Bytes();
        final CodedOutputStream out = CodedOutputStream.newInstance(bytes, 512);

        void clear() throws IOException {
            out.flush();
            bytes.reset();
        }

        /** Writes this message as field {@code field} of {@code parent}. */
        void into(Message parent, int field) throws IOException {
            into(parent.out, field);
        }

        void into(CodedOutputStream parent, int field) throws IOException {
            out.flush();
            parent.writeByteArray(field, bytes.array(), 0, bytes.size());
        }
    }

    /** A ByteArrayOutputStream whose array can be read without a copy. */
    private static final class Bytes extends ByteArrayOutputStream {
        byte[] array() {
            return buf;
        }
    }

    /** Exits per second in equal buckets over the run, counted from the columns (no decoding). */
    private static final class ExitRate {
        private final long first;
        private final long width;
        private final int[] counts;
        private int next;

        ExitRate(ExitColumns c, int buckets) {
            long n = c.size();
            first = n == 0 ? 0 : c.timeNs(0);
            long span = n == 0 ? 0 : c.timeNs(n - 1) - first;
            width = Math.max(1_000, (span + buckets - 1) / buckets);
            counts = new int[n == 0 ? 0 : (int) (span / width) + 1];
            for (long q = 0; q < n; q++) {
                counts[(int) ((c.timeNs(q) - first) / width)]++;
            }
        }

        boolean hasBucket() {
            return next < counts.length;
        }

        boolean hasBucketAtOrBefore(long timeNs) {
            return hasBucket() && bucketStart() <= timeNs;
        }

        long bucketStart() {
            return first + next * width;
        }

        double perSecond() {
            return counts[next] * 1e9 / width;
        }

        void advance() {
            next++;
        }
    }
}
