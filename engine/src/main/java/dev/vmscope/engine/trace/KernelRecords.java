package dev.vmscope.engine.trace;

import dev.vmscope.engine.kernel.EventFormat;
import dev.vmscope.engine.kernel.EventFormats;
import dev.vmscope.engine.kernel.KernelCapture;
import dev.vmscope.engine.kernel.KernelEventStore;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The two kernel-event records of a {@code .vmtrace} (format 1.2, {@code docs/vmtrace-format.md}):
 * {@link TraceFormat#KERNEL_FORMATS} carries whether kernel events were captured (or why not) and the recording
 * kernel's own layout texts ({@code header_page}, {@code header_event}, each event's {@code format}), so a
 * replay decodes with them and needs no tracefs; {@link TraceFormat#KERNEL_EVENTS} carries up to
 * {@value #MAX_EVENTS} raw records with their times, vCPUs and type indexes, deflated.
 */
final class KernelRecords {
    static final int MAX_EVENTS = 4096;
    /** Inflated size a reader accepts for one events record (4096 records of at most 64 KiB each would be more). */
    static final int MAX_RAW = 32 << 20;
    private static final int RAW = 0;
    private static final int DEFLATE = 1;

    private KernelRecords() {
    }

    /** The formats record: on/off, the note, and when on the layout texts. */
    static void formats(TraceFormat.Payload p, KernelCapture capture, EventFormats formats) {
        p.reset().varint(capture.on() ? 1 : 0).string(capture.note());
        if (capture.on()) {
            p.string(formats.layout().headerPageText()).string(formats.layout().headerEventText())
                    .varint(formats.all().size());
            for (EventFormat f : formats.all()) {
                p.string(f.system()).string(f.text());
            }
        }
    }

    /** Reads a formats record into an empty store (or, when off, into the capture and its note). */
    static KernelEventStore readFormats(TraceFormat.Fields f, int vcpus, byte[] b) {
        boolean on = f.varint("kernel capture flag", 0, 1) == 1;
        KernelCapture capture = new KernelCapture(on, f.string());
        if (!on) {
            return new KernelEventStore(null, vcpus, capture);
        }
        String page = f.string();
        String event = f.string();
        int n = (int) f.varint("kernel format count", 0, b.length);
        List<String> systems = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            systems.add(f.string());
            texts.add(f.string());
        }
        try {
            return new KernelEventStore(EventFormats.parse(page, event, systems, texts), vcpus, capture);
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException("kernel formats not understood: " + e.getMessage());
        }
    }

    /** Writer side: encodes events into records with its own reused buffers (one per trace writer). */
    static final class Encoder {
        private final TraceFormat.Payload raw = new TraceFormat.Payload();
        private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        private byte[] packed = new byte[64 * 1024];

        /** Events {@code from} … {@code to} of {@code store} into {@code p}. */
        void events(TraceFormat.Payload p, KernelEventStore store, long from, long to) {
            raw.reset();
            long time = 0;
            for (long i = from; i < to; i++) {
                long t = store.timeNs(i);
                byte[] r = store.record(i);
                raw.svarint(t - time).varint(store.vcpu(i)).varint(store.type(i)).bytes(r, 0, r.length);
                time = t;
            }
            if (packed.length < raw.n) {
                packed = new byte[raw.n];
            }
            deflater.reset();
            deflater.setInput(raw.b, 0, raw.n);
            deflater.finish();
            int n = deflater.deflate(packed);
            boolean ok = deflater.finished() && n < raw.n;
            p.reset().varint(from).varint(to - from).varint(store.lost()).varint(ok ? DEFLATE : RAW).varint(raw.n);
            if (ok) {
                p.bytes(packed, 0, n);
            } else {
                p.bytes(raw.b, 0, raw.n);
            }
        }

        void end() {
            deflater.end();
        }
    }

    /**
     * Reader side: appends an events record's events to {@code store}.
     *
     * @return a note when the record does not follow the previous one (events lost to damage), else null
     */
    static String readEvents(TraceFormat.Fields f, byte[] b, KernelEventStore store) {
        long first = f.varint("first kernel event", 0, 1L << 40);
        int count = (int) f.varint("kernel event count", 0, MAX_EVENTS);
        long lost = f.varint("kernel events lost", 0, 1L << 48);
        long encoding = f.varint("kernel event encoding", RAW, DEFLATE);
        int rawLength = (int) f.varint("kernel events length", 0, MAX_RAW);
        int len = (int) f.varint("kernel events stored length", 0, b.length - f.position());
        int at = f.position();
        byte[] raw;
        if (encoding == RAW) {
            if (len != rawLength) {
                throw new CorruptDataException("raw kernel events of " + len + " bytes, said " + rawLength);
            }
            raw = java.util.Arrays.copyOfRange(b, at, at + len);
        } else {
            raw = new byte[rawLength];
            Inflater inf = new Inflater();
            try {
                inf.setInput(b, at, len);
                int n = inf.inflate(raw);
                if (n != rawLength || !inf.finished()) {
                    throw new CorruptDataException("kernel events that inflate to " + n + " bytes, not " + rawLength);
                }
            } catch (DataFormatException e) {
                throw new CorruptDataException("kernel events that do not inflate: " + e.getMessage());
            } finally {
                inf.end();
            }
        }
        String gap = first != store.size() ? String.format("kernel events %,d to %,d are missing", store.size(),
                first) : null;
        TraceFormat.Fields e = new TraceFormat.Fields(raw, 0, raw.length);
        long time = 0;
        for (int i = 0; i < count; i++) {
            time += e.svarint();
            int vcpu = (int) e.varint("kernel event vCPU", 0, store.vcpus() - 1);
            int type = (int) e.varint("kernel event type", 0, store.formats().all().size() - 1);
            int n = (int) e.varint("kernel event length", 0, raw.length - e.position());
            int start = e.position();
            e.skip(n);
            store.append(time, vcpu, type, raw, start, n);
        }
        store.setLost(lost);
        return gap;
    }
}
