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

    /** The formats record: on/off, the note, and when on the layout texts (deflated: they repeat a lot). */
    static void formats(TraceFormat.Payload p, KernelCapture capture, EventFormats formats) {
        p.reset().varint(capture.on() ? 1 : 0).string(capture.note());
        if (capture.on()) {
            TraceFormat.Payload texts = new TraceFormat.Payload();
            texts.string(formats.layout().headerPageText()).string(formats.layout().headerEventText())
                    .varint(formats.all().size());
            for (EventFormat f : formats.all()) {
                texts.string(f.system()).string(f.text());
            }
            Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
            try {
                deflated(p, texts, d, new byte[texts.n]);
            } finally {
                d.end();
            }
        }
    }

    /** Appends encoding, raw length and bytes: deflated when that is smaller, else raw. */
    private static byte[] deflated(TraceFormat.Payload p, TraceFormat.Payload raw, Deflater d, byte[] packed) {
        byte[] out = packed.length < raw.n ? new byte[raw.n] : packed;
        d.reset();
        d.setInput(raw.b, 0, raw.n);
        d.finish();
        int n = d.deflate(out);
        boolean ok = d.finished() && n < raw.n;
        p.varint(ok ? DEFLATE : RAW).varint(raw.n);
        if (ok) {
            p.bytes(out, 0, n);
        } else {
            p.bytes(raw.b, 0, raw.n);
        }
        return out;
    }

    /** Reads what {@link #deflated} wrote: the raw bytes, checked against their stated length. */
    private static byte[] inflated(TraceFormat.Fields f, byte[] b, String what) {
        long encoding = f.varint(what + " encoding", RAW, DEFLATE);
        int rawLength = (int) f.varint(what + " length", 0, MAX_RAW);
        int len = (int) f.varint(what + " stored length", 0, b.length - f.position());
        int at = f.position();
        f.skip(len);
        if (encoding == RAW) {
            if (len != rawLength) {
                throw new CorruptDataException("raw " + what + " of " + len + " bytes, said " + rawLength);
            }
            return java.util.Arrays.copyOfRange(b, at, at + len);
        }
        byte[] raw = new byte[rawLength];
        Inflater inf = new Inflater();
        try {
            inf.setInput(b, at, len);
            int n = inf.inflate(raw);
            if (n != rawLength || !inf.finished()) {
                throw new CorruptDataException(what + " that inflate to " + n + " bytes, not " + rawLength);
            }
        } catch (DataFormatException e) {
            throw new CorruptDataException(what + " that do not inflate: " + e.getMessage());
        } finally {
            inf.end();
        }
        return raw;
    }

    /** Reads a formats record into an empty store (or, when off, into the capture and its note). */
    static KernelEventStore readFormats(TraceFormat.Fields f, int vcpus, byte[] b) {
        boolean on = f.varint("kernel capture flag", 0, 1) == 1;
        KernelCapture capture = new KernelCapture(on, f.string());
        if (!on) {
            return new KernelEventStore(null, vcpus, capture);
        }
        byte[] raw = inflated(f, b, "kernel formats");
        TraceFormat.Fields t = new TraceFormat.Fields(raw, 0, raw.length);
        String page = t.string();
        String event = t.string();
        int n = (int) t.varint("kernel format count", 0, raw.length);
        List<String> systems = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            systems.add(t.string());
            texts.add(t.string());
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
            p.reset().varint(from).varint(to - from).varint(store.lost());
            packed = deflated(p, raw, deflater, packed);
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
        byte[] raw = inflated(f, b, "kernel events");
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
