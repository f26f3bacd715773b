package dev.vmscope.engine.trace;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.vmscope.engine.trace.PerfettoProto.*;

/**
 * A Perfetto protobuf trace read back with protobuf-java's {@link CodedInputStream}: the TracePacket stream,
 * its track descriptors and its track events, with the fields the export's tests check. Unknown fields are
 * skipped, as any protobuf reader does.
 */
final class PerfettoTraceFile {
    record Track(long uuid, long parent, String name, int tid, boolean counter, boolean process) {
    }

    record Event(long timeNs, int sequence, int type, long track, String name, double counterValue,
                 Map<String, Object> annotations) {
    }

    final Map<Long, Track> tracks = new LinkedHashMap<>();
    final List<Event> events = new ArrayList<>();
    int packets;

    static PerfettoTraceFile parse(byte[] bytes) throws IOException {
        PerfettoTraceFile f = new PerfettoTraceFile();
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setSizeLimit(Integer.MAX_VALUE);
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            if (WireFormat.getTagFieldNumber(tag) != TRACE_PACKET) {
                throw new IOException("a Trace holds only packets, found field " + WireFormat.getTagFieldNumber(tag));
            }
            f.packet(in.readByteArray());
        }
        return f;
    }

    private void packet(byte[] b) throws IOException {
        packets++;
        CodedInputStream in = CodedInputStream.newInstance(b);
        long ts = -1;
        int seq = 0;
        byte[] event = null;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case PACKET_TIMESTAMP -> ts = in.readUInt64();
                case PACKET_SEQUENCE_ID -> seq = in.readUInt32();
                case PACKET_TRACK_EVENT -> event = in.readByteArray();
                case PACKET_TRACK_DESCRIPTOR -> descriptor(in.readByteArray());
                default -> in.skipField(tag);
            }
        }
        if (event != null) {
            event(ts, seq, event);
        }
    }

    private void descriptor(byte[] b) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(b);
        long uuid = 0;
        long parent = 0;
        String name = null;
        int tid = -1;
        boolean counter = false;
        boolean process = false;
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case TRACK_UUID -> uuid = in.readUInt64();
                case TRACK_PARENT_UUID -> parent = in.readUInt64();
                case TRACK_NAME -> name = in.readString();
                case TRACK_PROCESS -> {
                    process = true;
                    Map<Integer, Object> p = fields(in.readByteArray());
                    name = name == null ? (String) p.get(PROCESS_NAME) : name;
                }
                case TRACK_THREAD -> tid = ((Long) fields(in.readByteArray()).get(THREAD_TID)).intValue();
                case TRACK_COUNTER -> {
                    counter = true;
                    in.readByteArray();
                }
                default -> in.skipField(tag);
            }
        }
        tracks.put(uuid, new Track(uuid, parent, name, tid, counter, process));
    }

    private void event(long ts, int seq, byte[] b) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(b);
        int type = 0;
        long track = 0;
        String name = null;
        double value = Double.NaN;
        Map<String, Object> annotations = new HashMap<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            switch (WireFormat.getTagFieldNumber(tag)) {
                case EVENT_TYPE -> type = in.readEnum();
                case EVENT_TRACK_UUID -> track = in.readUInt64();
                case EVENT_NAME -> name = in.readString();
                case EVENT_DOUBLE_COUNTER_VALUE -> value = in.readDouble();
                case EVENT_DEBUG_ANNOTATIONS -> {
                    Map<Integer, Object> a = fields(in.readByteArray());
                    Object v = a.containsKey(ANNOTATION_STRING) ? a.get(ANNOTATION_STRING)
                            : a.containsKey(ANNOTATION_BOOL) ? (Object) ((Long) a.get(ANNOTATION_BOOL) != 0)
                            : a.containsKey(ANNOTATION_POINTER) ? a.get(ANNOTATION_POINTER)
                            : a.containsKey(ANNOTATION_INT) ? a.get(ANNOTATION_INT) : a.get(ANNOTATION_UINT);
                    annotations.put((String) a.get(ANNOTATION_NAME), v);
                }
                default -> in.skipField(tag);
            }
        }
        events.add(new Event(ts, seq, type, track, name, value, annotations));
    }

    /** The fields of a flat message: varints as Long, length-delimited as String, fixed64 as Double. */
    private static Map<Integer, Object> fields(byte[] b) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(b);
        Map<Integer, Object> m = new HashMap<>();
        while (!in.isAtEnd()) {
            int tag = in.readTag();
            int field = WireFormat.getTagFieldNumber(tag);
            switch (WireFormat.getTagWireType(tag)) {
                case WireFormat.WIRETYPE_VARINT -> m.put(field, in.readInt64());
                case WireFormat.WIRETYPE_LENGTH_DELIMITED -> m.put(field, in.readString());
                case WireFormat.WIRETYPE_FIXED64 -> m.put(field, in.readDouble());
                default -> in.skipField(tag);
            }
        }
        return m;
    }
}
