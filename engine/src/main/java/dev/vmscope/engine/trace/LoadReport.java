package dev.vmscope.engine.trace;

import java.util.List;
import java.util.Locale;

/**
 * What {@link TraceReader} found in a file: how much it recovered and exactly what it could not.
 *
 * @param fileBytes         size of the file
 * @param records           records read intact (header included)
 * @param exitChunks        exit chunks recovered
 * @param exits             exits recovered
 * @param losses            every stretch of the file that could not be used, in file order
 * @param lostSeqRanges     seq ranges with no recovered exit, in order (at most {@link #MAX_RANGES} listed)
 * @param lostExits         how many seqs in total have no recovered exit (all ranges, listed or not)
 * @param ended             true when the file has its end record: the recording was closed properly
 * @param expectedExits     exits the run is known to have had: the end record's count, else the most that
 *                          console, breakpoint, code page and outcome records prove; -1 when nothing says
 * @param notes             other remarks (skipped unknown records, bytes after the end record, …)
 * @param largestAllocation the largest single buffer sized from a length read in the file, in bytes
 */
public record LoadReport(long fileBytes, long records, long exitChunks, long exits, List<Loss> losses,
                         List<SeqRange> lostSeqRanges, long lostExits, boolean ended, long expectedExits,
                         List<String> notes, long largestAllocation) {
    /** At most this many lost seq ranges are listed; {@link #lostExits} counts them all. */
    public static final int MAX_RANGES = 1000;

    /**
     * Bytes of the file that could not be used. {@code record} names the record type when its frame header was
     * intact (so the type is known), else null.
     */
    public record Loss(long offset, long length, String record, String reason) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d bytes at offset %,d%s: %s", length, offset,
                    record == null ? "" : " (" + record + " record)", reason);
        }
    }

    /** Seqs {@code from} (inclusive) to {@code to} (exclusive). */
    public record SeqRange(long from, long to) {
        public long count() {
            return to - from;
        }

        @Override
        public String toString() {
            return to - from == 1 ? String.format(Locale.ROOT, "%,d", from)
                    : String.format(Locale.ROOT, "%,d-%,d", from, to - 1);
        }
    }

    /** Nothing lost, nothing odd, and the recording was closed properly. */
    public boolean isClean() {
        return losses.isEmpty() && lostExits == 0 && ended;
    }

    public long lostBytes() {
        long n = 0;
        for (Loss l : losses) {
            n += l.length();
        }
        return n;
    }

    /** Stretches of lost bytes (a damaged record, an unreadable run of bytes, a record cut off by the end). */
    public int lostStretches() {
        return losses.size();
    }

    /** One line for a command's warning: what was lost, or "intact". */
    public String summary() {
        if (isClean()) {
            return String.format(Locale.ROOT, "intact: %,d exits in %,d chunks", exits, exitChunks);
        }
        StringBuilder b = new StringBuilder();
        if (!ended) {
            b.append("recording cut short (no end record); ");
        }
        if (!losses.isEmpty()) {
            b.append(String.format(Locale.ROOT, "%,d damaged or incomplete stretch%s (%,d bytes) skipped; ",
                    losses.size(), losses.size() == 1 ? "" : "es", lostBytes()));
        }
        if (lostExits > 0) {
            b.append(String.format(Locale.ROOT, "%,d exit%s missing (seq ", lostExits, lostExits == 1 ? "" : "s"));
            int shown = Math.min(3, lostSeqRanges.size());
            for (int i = 0; i < shown; i++) {
                b.append(i > 0 ? ", " : "").append(lostSeqRanges.get(i));
            }
            if (lostSeqRanges.size() > shown) {
                b.append(", …");
            }
            b.append("); ");
        } else if (!ended) {
            b.append("no exit known to be missing, but the run's last moments may not have been written; ");
        }
        b.append(String.format(Locale.ROOT, "recovered %,d exits", exits));
        return b.toString();
    }

    /** Several lines: the summary, then every loss and every lost range listed. */
    public String toText() {
        StringBuilder b = new StringBuilder(summary()).append('\n');
        for (Loss l : losses) {
            b.append("  lost ").append(l).append('\n');
        }
        for (SeqRange r : lostSeqRanges) {
            b.append("  missing exits ").append(r).append('\n');
        }
        for (String n : notes) {
            b.append("  note: ").append(n).append('\n');
        }
        return b.toString();
    }
}
