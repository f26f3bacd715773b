package dev.vmscope.engine.trace;

/**
 * Field numbers and enum values of the few Perfetto trace messages the export writes, as Perfetto's own
 * {@code protos/perfetto/trace/*.proto} define them ({@code trace.proto}, {@code trace_packet.proto},
 * {@code track_event/track_descriptor.proto}, {@code track_event.proto}, {@code debug_annotation.proto},
 * {@code process_descriptor.proto}, {@code thread_descriptor.proto}, {@code counter_descriptor.proto}). The one
 * place these numbers live: the exporter and the tests that read its output back both use them.
 */
public final class PerfettoProto {
    private PerfettoProto() {
    }

    /** {@code Trace}: the file is a stream of these fields. */
    public static final int TRACE_PACKET = 1;

    // TracePacket
    public static final int PACKET_TIMESTAMP = 8;
    public static final int PACKET_SEQUENCE_ID = 10;
    public static final int PACKET_TRACK_EVENT = 11;
    public static final int PACKET_SEQUENCE_FLAGS = 13;
    public static final int PACKET_TRACK_DESCRIPTOR = 60;
    /** {@code TracePacket.SequenceFlags.SEQ_INCREMENTAL_STATE_CLEARED}. */
    public static final int SEQ_INCREMENTAL_STATE_CLEARED = 1;

    // TrackDescriptor
    public static final int TRACK_UUID = 1;
    public static final int TRACK_NAME = 2;
    public static final int TRACK_PROCESS = 3;
    public static final int TRACK_THREAD = 4;
    public static final int TRACK_PARENT_UUID = 5;
    public static final int TRACK_COUNTER = 8;

    // ProcessDescriptor
    public static final int PROCESS_PID = 1;
    public static final int PROCESS_NAME = 6;

    // ThreadDescriptor
    public static final int THREAD_PID = 1;
    public static final int THREAD_TID = 2;
    public static final int THREAD_NAME = 5;

    // CounterDescriptor
    public static final int COUNTER_UNIT_NAME = 6;

    // TrackEvent
    public static final int EVENT_DEBUG_ANNOTATIONS = 4;
    public static final int EVENT_TYPE = 9;
    public static final int EVENT_TRACK_UUID = 11;
    public static final int EVENT_CATEGORIES = 22;
    public static final int EVENT_NAME = 23;
    public static final int EVENT_DOUBLE_COUNTER_VALUE = 44;
    /** {@code TrackEvent.Type}. */
    public static final int TYPE_SLICE_BEGIN = 1;
    public static final int TYPE_SLICE_END = 2;
    public static final int TYPE_INSTANT = 3;
    public static final int TYPE_COUNTER = 4;

    // DebugAnnotation
    public static final int ANNOTATION_BOOL = 2;
    public static final int ANNOTATION_UINT = 3;
    public static final int ANNOTATION_INT = 4;
    public static final int ANNOTATION_STRING = 6;
    public static final int ANNOTATION_POINTER = 7;
    public static final int ANNOTATION_NAME = 10;
}
