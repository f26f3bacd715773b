package dev.vmscope.engine.kernel;

import dev.vmscope.engine.time.TimeText;
import java.util.ArrayList;
import java.util.List;

/**
 * One kernel tracepoint event, decoded on demand from its raw record through the recording kernel's own
 * format ({@link EventFormat}): nothing is read at an offset vmscope assumes. Immutable; made by
 * {@link KernelEvents#get(long)} and never on a vCPU thread.
 *
 * @param index  its place in the run's kernel events (time order)
 * @param timeNs when it happened, on the capture's clock (ns since the run started, like exit times)
 * @param vcpu   the vCPU it belongs to: its {@code vcpu_id} field when it has one, else the vCPU of the thread
 *               that emitted it
 * @param format its layout
 * @param record the raw record (common fields first)
 */
public record KernelEvent(long index, long timeNs, int vcpu, EventFormat format, byte[] record) {

    /** The tracepoint's name ({@code kvm_pio}). */
    public String name() {
        return format.name();
    }

    /** The thread that emitted it (the record's {@code common_pid}). */
    public int tid() {
        return (int) number("common_pid");
    }

    /** Whether the record has field {@code name}. */
    public boolean has(String name) {
        return format.field(name) != null;
    }

    /** Field {@code name} as a number (sign-extended when the kernel says it is signed); 0 when absent. */
    public long number(String name) {
        FieldFormat f = format.field(name);
        return f == null ? 0 : f.number(record, 0, record.length);
    }

    /** Field {@code name}'s bytes (an array, a dynamic string, or a scalar's own bytes); empty when absent. */
    public byte[] bytes(String name) {
        FieldFormat f = format.field(name);
        return f == null ? new byte[0] : f.bytes(record, 0, record.length);
    }

    /** The name this kernel's print format gives value {@code value} of field {@code field} (n-th table), or null. */
    public String symbol(String field, int table, long value) {
        SymbolTable t = format.symbols(field, table);
        return t == null ? null : t.name(value);
    }

    /** Every field of the event itself (not the common ones) as {@code name=value}, in the kernel's order. */
    public List<String> fieldTexts() {
        List<String> out = new ArrayList<>();
        for (FieldFormat f : format.ownFields()) {
            out.add(f.name() + "=" + fieldText(f));
        }
        return out;
    }

    private String fieldText(FieldFormat f) {
        if (f.text()) {
            byte[] b = f.bytes(record, 0, record.length);
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (f.array()) {
            return KvmEventText.hex(f.bytes(record, 0, record.length));
        }
        long v = f.number(record, 0, record.length);
        return f.signed() && v < 0 ? Long.toString(v) : "0x" + Long.toHexString(v);
    }

    /** What happened, in words: a decoder for the events vmscope knows, name and fields for any other. */
    public String summary() {
        return KvmEventText.summary(this);
    }

    @Override
    public String toString() {
        return TimeText.instant(timeNs) + " vcpu" + vcpu + " " + name() + ": " + summary();
    }
}
