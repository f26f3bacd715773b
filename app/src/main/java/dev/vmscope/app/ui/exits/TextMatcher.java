package dev.vmscope.app.ui.exits;

import dev.vmscope.app.ui.ReasonPalette;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.GuestState;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.symbols.SymbolTable;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * The exit list's text filter for one query: an exit matches when its reason name, its decoded detail, its RIP
 * as {@code 0x…} or the symbol its code address lies in ({@code putc+0x5}) contains the text (case-insensitive),
 * or the text is {@code #seq}. One instance per pass over
 * the exits (not thread-safe).
 *
 * <p>A big trace repeats the same few exits millions of times (the same OUT, the same RIP), and making and
 * formatting a detail costs more than decoding the exit, so answers are remembered per distinct payload (exactly,
 * by its raw words, for the common exits whose payload is small; else per decoded exit) and per RIP or code
 * address; RIPs are only tested at all when the text could be part of {@code 0x} and hex digits, symbols only
 * when the guest has any.
 */
final class TextMatcher {
    /** Distinct payloads remembered before the memory starts over (a run of all-different exits gains nothing). */
    private static final int MAX_REMEMBERED = 1 << 16;
    private static final String[] REASON_NAMES = new String[256];
    /** Raw reason, 3 payload words, I/O data length and up to 8 bytes of it. */
    private static final int KEY_WORDS = 6;

    static {
        for (int i = 0; i < REASON_NAMES.length; i++) {
            REASON_NAMES[i] = ReasonPalette.name(i).toLowerCase(Locale.ROOT);
        }
    }

    private final String lower;
    private final boolean ripLike;
    private final long seqWanted;
    private final Map<KvmExit, Boolean> details = new HashMap<>();
    /** Exact answers by payload for exits whose payload fits 3 words and 8 bytes of I/O data: no decoding. */
    private final long[] payloadKeys = new long[4096 * KEY_WORDS];
    private final byte[] payloadAnswers = new byte[4096];   // 0 unknown, 1 no, 2 yes
    private final long[] key = new long[KEY_WORDS];
    private final long[] ripKeys = new long[1024];
    private final byte[] ripAnswers = new byte[1024];      // 0 unknown, 1 no, 2 yes
    private final SymbolTable symbols;
    private final long[] symbolKeys = new long[1024];
    private final byte[] symbolAnswers = new byte[1024];   // 0 unknown, 1 no, 2 yes

    TextMatcher(String text, SymbolTable symbols) {
        this.symbols = symbols;
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

    /** Whether the text (trimmed, lower case) is part of the name of reason {@code code} (as the columns keep it). */
    static boolean reasonNameHolds(int code, String lowerText) {
        return REASON_NAMES[code].contains(lowerText);
    }

    /** Reason codes as the columns keep them (255: any other). */
    static int code(int rawReason) {
        return rawReason >= 0 && rawReason < 255 ? rawReason : 255;
    }

    boolean matches(CapturedExit e) {
        return reasonNameHolds(code(e.rawReason), lower) || e.seq == seqWanted
                || ripLike && ripMatches(e.rip()) || detailMatches(e) || !symbols.isEmpty() && symbolMatches(e);
    }

    private boolean symbolMatches(CapturedExit e) {
        return remembered(symbolKeys, symbolAnswers, GuestState.codeLinearAddress(e.state),
                a -> symbols.suffix(a).toLowerCase(Locale.ROOT).contains(lower));
    }

    private boolean detailMatches(CapturedExit e) {
        if (!keyOf(e)) {
            return decodedDetailMatches(e);
        }
        long h = 0;
        for (long k : key) {
            h = (h ^ k) * 0x9E3779B97F4A7C15L;
        }
        int slot = (int) (h >>> 52);
        int at = slot * KEY_WORDS;
        if (payloadAnswers[slot] != 0 && java.util.Arrays.equals(payloadKeys, at, at + KEY_WORDS, key, 0, KEY_WORDS)) {
            return payloadAnswers[slot] == 2;
        }
        boolean m = decodedDetailMatches(e);
        System.arraycopy(key, 0, payloadKeys, at, KEY_WORDS);
        payloadAnswers[slot] = (byte) (m ? 2 : 1);
        return m;
    }

    /** Fills {@link #key} with everything the detail is made of; false when that does not fit in it. */
    private boolean keyOf(CapturedExit e) {
        int words = e.reason().payloadWords;
        if (words > 3 || e.ioLength > 8) {
            return false;
        }
        key[0] = e.rawReason;
        for (int i = 0; i < 3; i++) {
            key[1 + i] = i < words ? e.payload[i] : 0;
        }
        long data = 0;
        for (int i = 0; i < e.ioLength; i++) {
            data |= (e.ioData[i] & 0xFFL) << (8 * i);
        }
        key[4] = e.ioLength;
        key[5] = data;
        return true;
    }

    private boolean decodedDetailMatches(CapturedExit e) {
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
        return remembered(ripKeys, ripAnswers, rip, r -> ("0x" + Long.toHexString(r)).contains(lower));
    }

    /** {@code test}'s answer for address {@code a}, remembered in a small direct-mapped table. */
    private static boolean remembered(long[] keys, byte[] answers, long a, LongPredicate test) {
        int slot = (int) (a ^ (a >>> 17)) & (keys.length - 1);
        if (answers[slot] != 0 && keys[slot] == a) {
            return answers[slot] == 2;
        }
        boolean m = test.test(a);
        keys[slot] = a;
        answers[slot] = (byte) (m ? 2 : 1);
        return m;
    }
}
