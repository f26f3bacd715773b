package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.testing.MiniJson;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Statistics over a hand-made run whose every count is known. */
class TraceStatisticsTest {
    private static void add(ExitStore s, CapturedExit e, int vcpu, KvmExitReason r, long payload0, long payload1,
                            long payload2, long timeNs, long guestNs) {
        e.vcpu = vcpu;
        e.rawReason = r.code;
        e.payload[0] = payload0;
        e.payload[1] = payload1;
        e.payload[2] = payload2;
        e.ioLength = 0;
        if (r == KvmExitReason.IO) {
            e.ioLength = (int) ((payload0 >>> 8) & 0xFF);
        }
        e.timeNs = timeNs;
        e.guestNs = guestNs;
        s.append(e);
    }

    private static long io(boolean out, int port) {
        return (out ? 1 : 0) | (1L << 8) | ((long) port << 16) | (1L << 32);
    }

    @Test
    void countsEveryKindOfExit() {
        ExitStore s = new ExitStore(ExitStoreTest.info(2));
        CapturedExit e = new CapturedExit();
        long t = 0;
        for (int i = 0; i < 3; i++) {
            add(s, e, 0, KvmExitReason.IO, io(true, 0x80), 0, 0, t += 1_000_000, 100 + i);
        }
        add(s, e, 1, KvmExitReason.IO, io(false, 0x60), 0, 0, t += 1_000_000, 200);
        add(s, e, 1, KvmExitReason.IO, io(false, 0x60), 0, 0, t += 1_000_000, 300);
        add(s, e, 0, KvmExitReason.X86_RDMSR, 0, 0x10L << 32, 42, t += 1_000_000, 400);
        add(s, e, 0, KvmExitReason.MMIO, 0x10004, 0xAB, 1 | (1L << 32), t += 1_000_000, 500);
        add(s, e, 1, KvmExitReason.MMIO, 0x10ff8, 0, 4, t += 1_000_000, 600);
        add(s, e, 1, KvmExitReason.HLT, 0, 0, 0, t += 1_000_000, 10_000);

        TraceStatistics st = TraceStatistics.of(s);
        assertThat(st.exits()).isEqualTo(9);
        assertThat(st.lost()).isZero();
        assertThat(st.byReason()).containsExactly(Map.entry("IO", 5L), Map.entry("MMIO", 2L),
                Map.entry("HLT", 1L), Map.entry("X86_RDMSR", 1L));
        assertThat(st.byVcpu()).containsExactly(5, 4);
        assertThat(st.ioPorts()).containsExactly(new TraceStatistics.Access(0x80, 0, 3),
                new TraceStatistics.Access(0x60, 2, 0));
        assertThat(st.msrs()).containsExactly(new TraceStatistics.Access(0x10, 1, 0));
        assertThat(st.mmioPages()).containsExactly(new TraceStatistics.Access(0x10000, 1, 1));
        assertThat(st.guestTime()).isEqualTo(new TraceStatistics.Durations(9, 100, 300, 10_000, 10_000));
        assertThat(st.spanNs()).isEqualTo(8_000_000);
        assertThat(st.bucketNs()).isEqualTo(500_000);   // 8 ms in at most 40 buckets of 1-2-5 steps
        assertThat(java.util.Arrays.stream(st.rateBuckets()).sum()).isEqualTo(9);

        String text = st.toText();
        assertThat(text).contains("exits: 9 over 8 ms").contains("0x0080").contains("0x00000010")
                .contains("median 300 ns").contains("p99 10 µs").contains("+500 µs");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) MiniJson.parse(st.toJson());
        assertThat(json.get("exits")).isEqualTo(9.0);
        assertThat((List<?>) json.get("ioPorts")).hasSize(2);
        assertThat(((Map<?, ?>) json.get("guestTimeNs")).get("p99")).isEqualTo(10_000.0);

        // once every chunk is sealed the statistics decode chunks in place: the same numbers
        s.flush(0);
        s.flush(1);
        assertThat(TraceStatistics.of(s).toJson()).isEqualTo(st.toJson());
    }

    @Test
    void bucketsAreRoundAndFew() {
        assertThat(TraceStatistics.niceBucket(1)).isEqualTo(1);
        assertThat(TraceStatistics.niceBucket(40)).isEqualTo(1);
        assertThat(TraceStatistics.niceBucket(41)).isEqualTo(2);
        assertThat(TraceStatistics.niceBucket(2_000_000_000L)).isEqualTo(50_000_000);
        assertThat(TraceStatistics.niceBucket(Long.MAX_VALUE)).isPositive();
    }
}
