package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Exits as CSV (RFC 4180): a header line, then one row per exit in seq order:
 * {@code seq,time_ns,vcpu,reason,detail,rip,guest_ns}. Fields holding a comma, a quote or a line break are
 * quoted, quotes doubled. Streamed: one row is built at a time. Exits a damaged trace lost have no row.
 */
public final class CsvExport {
    public static final String HEADER = "seq,time_ns,vcpu,reason,detail,rip,guest_ns";

    private CsvExport() {
    }

    /** Writes every exit of {@code source} to {@code out} (not closed); returns the number of rows. */
    public static long write(ExitSource source, Writer out) throws IOException {
        StringBuilder b = new StringBuilder(256);
        out.write(HEADER);
        out.write('\n');
        long[] rows = {0};
        try {
            source.scan(0, source.size(), r -> {
                b.setLength(0);
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
        return rows[0];
    }

    static void row(StringBuilder b, ExitRecord r) {
        b.append(r.seq()).append(',').append(r.timeNs()).append(',').append(r.vcpu()).append(',');
        b.append(reasonName(r)).append(',');
        field(b, r.exit().detail());
        b.append(",0x").append(Long.toHexString(r.state().rip())).append(',').append(r.guestNs()).append('\n');
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
