package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.GuestConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one rule for sizes, counts and durations: parsed, range-checked, refused in one line (issue 16, defect 9). */
class QuantitiesTest {
    @Test
    void sizesTakeBinaryUnitsAndNeverOverflow() {
        assertThat(Quantities.size("2M", "--mem", 1, 1L << 40)).isEqualTo(2L << 20);
        assertThat(Quantities.size("0x10000", "--mem", 1, 1L << 40)).isEqualTo(0x10000);
        assertThat(Quantities.size(" 3g ", "--mem", 1, 1L << 40)).isEqualTo(3L << 30);
        assertThat(Quantities.size("1T", "--mem", 1, 1L << 40)).isEqualTo(1L << 40);
        assertThatThrownBy(() -> Quantities.size("9999999999G", "--mem", 64 << 10, 1L << 40))
                .isInstanceOf(GuestConfigException.class)
                .hasMessage("--mem '9999999999G' is out of range: 64 KiB to 1 TiB");
        assertThatThrownBy(() -> Quantities.size("-1", "x: memory", 64 << 10, 1L << 40))
                .hasMessage("x: memory '-1' is out of range: 64 KiB to 1 TiB");
        assertThatThrownBy(() -> Quantities.size("0", "x: memory", 64 << 10, 1L << 40))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Quantities.size("99999999999999999999", "--mem", 1, 1L << 40))
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Quantities.size("2Q", "--mem", 1, 1L << 40)).hasMessageContaining("is not a size");
        assertThatThrownBy(() -> Quantities.size("", "--mem", 1, 1L << 40)).hasMessageContaining("is not a size");
    }

    @Test
    void countsAndSecondsHaveRanges() {
        assertThat(Quantities.count("5", "--max-exits", 1, 10)).isEqualTo(5);
        assertThatThrownBy(() -> Quantities.count("0", "--max-exits", 1, 10))
                .hasMessage("--max-exits '0' is out of range: 1 to 10");
        assertThatThrownBy(() -> Quantities.count("-1", "hit", 1, 10)).hasMessageContaining("out of range");
        assertThat(Quantities.seconds("0.5", "--timeout", 0.001, 100)).isEqualTo(0.5);
        for (String bad : new String[] {"-1", "0", "1e99", "Infinity"}) {
            assertThatThrownBy(() -> Quantities.seconds(bad, "--timeout", 0.001, 100))
                    .hasMessageStartingWith("--timeout '" + bad + "' is out of range");
        }
        assertThatThrownBy(() -> Quantities.seconds("NaN", "--timeout", 0.001, 100))
                .hasMessage("--timeout 'NaN' is not a number of seconds");
        assertThat(Quantities.bytes(3L << 30)).isEqualTo("3 GiB");
        assertThat(Quantities.bytes(1000)).isEqualTo("1000 bytes");
    }
}
