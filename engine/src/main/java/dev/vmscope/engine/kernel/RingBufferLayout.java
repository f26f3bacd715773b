package dev.vmscope.engine.kernel;

/**
 * The ring buffer's page and event-header layout, from the running kernel's {@code events/header_page}
 * (where a page's timestamp, commit word and data sit) and {@code events/header_event} (the event header's
 * bit split and the type_len values that mark padding, time extends and absolute timestamps).
 *
 * <p>{@code header_page} looks like {@code field: u64 timestamp; offset:0; size:8; signed:0;} … and
 * {@code header_event} like {@code type_len : 5 bits}, {@code padding : type == 29}. The texts are kept so a
 * trace can carry them.
 */
public record RingBufferLayout(int timestampOffset, int commitOffset, int commitSize, int dataOffset, int dataSize,
        int typeLenBits, int timeDeltaBits, int paddingType, int timeExtendType, int timeStampType,
        int maxDataType, String headerPageText, String headerEventText) {

    /** Set in the commit word when events were lost before this page. */
    public static final long MISSED_EVENTS = 1L << 31;
    /** Set in the commit word when the number lost is stored after the page's data. */
    public static final long MISSED_STORED = 1L << 30;

    /** Bytes of one ring-buffer page (sub-buffer): header plus data. */
    public int pageSize() {
        return dataOffset + dataSize;
    }

    /**
     * Parses both files.
     *
     * @throws IllegalArgumentException when a value the decoder needs is missing
     */
    public static RingBufferLayout parse(String headerPage, String headerEvent) {
        int tsOff = -1;
        int commitOff = -1;
        int commitSize = -1;
        int dataOff = -1;
        int dataSize = -1;
        for (String raw : headerPage.split("\n")) {
            String line = raw.strip();
            if (!line.startsWith("field:")) {
                continue;
            }
            String decl = line.substring(6, line.indexOf(';')).strip();
            String name = decl.substring(decl.lastIndexOf(' ') + 1);
            int off = number(line, "offset:");
            int size = number(line, "size:");
            switch (name) {
                case "timestamp" -> tsOff = off;
                case "commit" -> {
                    commitOff = off;
                    commitSize = size;
                }
                case "data" -> {
                    dataOff = off;
                    dataSize = size;
                }
                default -> {
                    // "overwrite" shares the commit word: not needed to read pages
                }
            }
        }
        int typeLen = -1;
        int delta = -1;
        int padding = -1;
        int extend = -1;
        int stamp = -1;
        int max = -1;
        for (String raw : headerEvent.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("type_len")) {
                typeLen = number(line, ":");
            } else if (line.startsWith("time_delta")) {
                delta = number(line, ":");
            } else if (line.startsWith("padding")) {
                padding = number(line, "==");
            } else if (line.startsWith("time_extend")) {
                extend = number(line, "==");
            } else if (line.startsWith("time_stamp")) {
                stamp = number(line, "==");
            } else if (line.startsWith("data max type_len")) {
                max = number(line, "==");
            }
        }
        if (tsOff < 0 || commitOff < 0 || dataOff < 0 || dataSize <= 0 || typeLen <= 0 || delta <= 0
                || padding < 0 || extend < 0 || max < 0 || (commitSize != 4 && commitSize != 8)) {
            throw new IllegalArgumentException("ring buffer header files not understood: header_page ["
                    + headerPage.strip() + "] header_event [" + headerEvent.strip() + "]");
        }
        return new RingBufferLayout(tsOff, commitOff, commitSize, dataOff, dataSize, typeLen, delta, padding,
                extend, stamp, max, headerPage, headerEvent);
    }

    /** The first integer after {@code key} in {@code line}. */
    private static int number(String line, String key) {
        int at = line.indexOf(key);
        if (at < 0) {
            return -1;
        }
        int i = at + key.length();
        while (i < line.length() && !Character.isDigit(line.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < line.length() && Character.isDigit(line.charAt(i))) {
            i++;
        }
        return start == i ? -1 : Integer.parseInt(line.substring(start, i));
    }

    /** The same layout for pages of {@code pageSize} bytes (an instance's sub-buffer size may differ). */
    public RingBufferLayout withPageSize(int pageSize) {
        return new RingBufferLayout(timestampOffset, commitOffset, commitSize, dataOffset, pageSize - dataOffset,
                typeLenBits, timeDeltaBits, paddingType, timeExtendType, timeStampType, maxDataType, headerPageText,
                headerEventText);
    }
}
