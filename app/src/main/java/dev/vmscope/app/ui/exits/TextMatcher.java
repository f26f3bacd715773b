package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.KvmExit;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The exit list's text filter for one query: an exit matches when its reason name, its decoded detail or its RIP
 * as {@code 0x…} contains the text (case-insensitive), or the text is {@code #seq}. One instance per pass over
 * the exits (not thread-safe).
 *
 * <p>A big trace repeats the same few exits millions of times (the same OUT, the same RIP), and formatting a
 * detail costs far more than decoding the exit, so answers are remembered per distinct exit payload and per RIP;
 * RIPs are only tested at all when the text could be part of {@code 0x} and hex digits.
 */
final class TextMatcher {
    /** Distinct payloads remembered before the memory starts over (a run of all-different exits gains nothing). */
    private static final int MAX_REMEMBERED = 1 << 16;
    private static final String[] REASON_NAMES = new String[256];

    static {
        for (int i = 0; i < REASON_NAMES.length; i++) {
            REASON_NAMES[i] = ReasonPalette.name(i).toLowerCase(Locale.ROOT);
        }
    }

    private final String lower;
    private final boolean ripLike;
    private final long seqWanted;
    private final Map<KvmExit, Boolean> details = new HashMap<>();
    private final long[] ripKeys = new long[1024];
    private final byte[] ripAnswers = new byte[1024];      // 0 unknown, 1 no, 2 yes

    TextMatcher(String text) {
        lower = text.trim().toLowerCase(Locale.ROOT);
        ripLike = lower.chars().allMatch(ch -> ch == 'x' || Character.digit(ch, 16) >= 0);
        long seq = -1;
        if (lower.startsWith("#")) {
            try {
                seq = Long.parseLong(lower.substring(1));
            } catch (NumberFormatException e) {
                seq = -1;
            }
        }
        seqWanted = seq;
    }

    /** Reason codes as the columns keep them (255: any other). */
    static int code(int rawReason) {
        return rawReason >= 0 && rawReason < 255 ? rawReason : 255;
    }

    boolean matches(CapturedExit e) {
        return REASON_NAMES[code(e.rawReason)].contains(lower) || e.seq == seqWanted
                || ripLike && ripMatches(e.rip()) || detailMatches(e);
    }

    private boolean detailMatches(CapturedExit e) {
        KvmExit exit = e.decodeExit();
        Boolean known = details.get(exit);
        if (known != null) {
            return known;
        }
        boolean m = exit.detail().toLowerCase(Locale.ROOT).contains(lower);
        if (details.size() >= MAX_REMEMBERED) {
            details.clear();
        }
        details.put(exit, m);
        return m;
    }

    private boolean ripMatches(long rip) {
        int slot = (int) (rip ^ (rip >>> 17)) & (ripKeys.length - 1);
        if (ripAnswers[slot] != 0 && ripKeys[slot] == rip) {
            return ripAnswers[slot] == 2;
        }
        boolean m = ("0x" + Long.toHexString(rip)).contains(lower);
        ripKeys[slot] = rip;
        ripAnswers[slot] = (byte) (m ? 2 : 1);
        return m;
    }
}
