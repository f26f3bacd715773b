package dev.vmscope.engine.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The layouts a run's kernel events are decoded with: the ring buffer's ({@link RingBufferLayout}) and every
 * enabled tracepoint's ({@link EventFormat}), found by the id each record starts with. Read from tracefs for a
 * live run, from the trace file for a replay: the same texts either way, so a replay decodes with the layout
 * of the kernel that recorded it.
 */
public final class EventFormats {
    private final RingBufferLayout layout;
    private final List<EventFormat> formats;
    private final int[] indexById;   // by common_type, -1 where no format has that id
    private final FieldFormat commonType;
    private final FieldFormat commonPid;

    public EventFormats(RingBufferLayout layout, List<EventFormat> formats) {
        this.layout = layout;
        this.formats = List.copyOf(formats);
        FieldFormat type = null;
        FieldFormat pid = null;
        int max = 0;
        for (EventFormat f : this.formats) {
            max = Math.max(max, f.id());
        }
        indexById = new int[max + 1];
        java.util.Arrays.fill(indexById, -1);
        for (int i = 0; i < this.formats.size(); i++) {
            EventFormat f = this.formats.get(i);
            if (f.id() >= 0 && indexById[f.id()] < 0) {
                indexById[f.id()] = i;
            }
            if (type == null) {
                type = f.field("common_type");
                pid = f.field("common_pid");
            }
        }
        this.commonType = type != null ? type : new FieldFormat("unsigned short", "common_type", 0, 2, false, 0);
        this.commonPid = pid != null ? pid : new FieldFormat("int", "common_pid", 4, 4, true, 0);
    }

    /** Parses format texts as tracefs or a trace file gives them. */
    public static EventFormats parse(String headerPage, String headerEvent, List<String> systems, List<String> texts) {
        List<EventFormat> list = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            list.add(EventFormat.parse(systems.get(i), texts.get(i)));
        }
        return new EventFormats(RingBufferLayout.parse(headerPage, headerEvent), list);
    }

    public RingBufferLayout layout() {
        return layout;
    }

    /** Every format, in a fixed order; a format's place in it is its type index. */
    public List<EventFormat> all() {
        return formats;
    }

    /** The type index of the record {@code length} bytes at {@code at}, or -1 for an id no format has. */
    public int typeOf(byte[] data, int at, int length) {
        long id = commonType.number(data, at, length);
        return id >= 0 && id < indexById.length ? indexById[(int) id] : -1;
    }

    /** The thread that emitted the record. */
    public int tidOf(byte[] data, int at, int length) {
        return (int) commonPid.number(data, at, length);
    }

    public EventFormat get(int typeIndex) {
        return formats.get(typeIndex);
    }

    /** The type index of the event called {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < formats.size(); i++) {
            if (formats.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
