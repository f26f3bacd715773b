package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.kernel.KernelEvent;
import dev.vmscope.engine.kernel.KernelEvents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Exits and kernel events as CSV (RFC 4180): a header line, then one row per exit in seq order,
 * {@code seq,time_ns,vcpu,reason,detail,rip,guest_ns,kind} with kind {@code exit}, and, when the run has
 * kernel events, one row per kernel event with kind {@code kernel} placed by time before the exit it
 * precedes: no seq, the tracepoint's name as reason, what it says as detail, the guest's RIP when the event
 * carries one, no guest time. Fields holding a comma, a quote or a line break are quoted, quotes doubled.
 * Streamed: one row is built at a time. Exits a damaged trace lost have no row.
 */
public final class CsvExport {
    public static final String HEADER = "seq,time_ns,vcpu,reason,detail,rip,guest_ns,kind";

    private CsvExport() {
    }

    /** Writes every exit and kernel event of {@code source} to {@code out} (not closed); returns the number of rows. */
    public static long write(ExitSource source, Writer out) throws IOException {
        StringBuilder b = new StringBuilder(256);
        out.write(HEADER);
        out.write('\n');
        long[] rows = {0};
        KernelEvents k = source.kernelEvents();
        long[] next = {0};   // the next kernel event to write
        try {
            source.scan(0, source.size(), r -> {
                b.setLength(0);
                for (; next[0] < k.size() && k.timeNs(next[0]) <= r.timeNs(); next[0]++) {
                    kernelRow(b, k.get(next[0]));
                    rows[0]++;
                }
                row(b, r);
                try {
                    out.append(b);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                rows[0]++;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (; next[0] < k.size(); next[0]++) {   // after the last exit
            b.setLength(0);
            kernelRow(b, k.get(next[0]));
            out.append(b);
            rows[0]++;
        }
        return rows[0];
    }

    static void kernelRow(StringBuilder b, KernelEvent e) {
        b.append(',').append(e.timeNs()).append(',').append(e.vcpu()).append(',').append(e.name()).append(',');
        field(b, e.summary());
        b.append(',');
        if (e.has("guest_rip") || e.has("rip")) {
            b.append("0x").append(Long.toHexString(e.number(e.has("guest_rip") ? "guest_rip" : "rip")));
        }
        b.append(",,kernel\n");
    }

    static void row(StringBuilder b, ExitRecord r) {
        b.append(r.seq()).append(',').append(r.timeNs()).append(',').append(r.vcpu()).append(',');
        b.append(reasonName(r)).append(',');
        field(b, r.exit().detail());
        b.append(",0x").append(Long.toHexString(r.state().rip())).append(',').append(r.guestNs()).append(",exit\n");
    }

    /** KVM's name of the exit's reason; EXIT_n for a code vmscope does not know. */
    static String reasonName(ExitRecord r) {
        return r.exit() instanceof KvmExit.Simple s && r.reason() == KvmExitReason.OTHER
                ? RunSummary.reasonName(s.rawReason()) : r.reason().name();
    }

    /** Appends {@code s} as one CSV field, quoted when it must be. */
    static void field(StringBuilder b, String s) {
        boolean quote = false;
        for (int i = 0; i < s.length() && !quote; i++) {
            char c = s.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!quote) {
            b.append(s);
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                b.append('"');
            }
            b.append(c);
        }
        b.append('"');
    }
}
