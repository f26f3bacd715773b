package dev.vmscope.engine.time;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimeTextTest {
    private static final String G = String.valueOf(TimeText.GROUP);

    @Test
    void durationsCarryTheirUnitAndDropTrailingZeros() {
        assertThat(TimeText.duration(850)).isEqualTo("850 ns");
        assertThat(TimeText.duration(1_200)).isEqualTo("1.2 µs");
        assertThat(TimeText.duration(12_345_000)).isEqualTo("12.345 ms");
        assertThat(TimeText.duration(2_000_000_000L)).isEqualTo("2 s");
        assertThat(TimeText.duration(0)).isEqualTo("0 ns");
    }

    @Test
    void longRunsOfDigitsAreGroupedInThrees() {
        assertThat(TimeText.duration(12_345.0 * 1e9)).isEqualTo("12" + G + "345 s");
        assertThat(TimeText.instant(12_345_678)).isEqualTo("12.345" + G + "678 ms");
        assertThat(TimeText.instant(3_141_592_653L)).isEqualTo("3.141" + G + "592 s");
    }

    @Test
    void instantsAreExactEnoughToTellExitsApartAndLineUp() {
        assertThat(TimeText.instant(842)).isEqualTo("842 ns");
        assertThat(TimeText.instant(1_500)).isEqualTo("1.500 µs");
        assertThat(TimeText.instant(12_345_001)).isNotEqualTo(TimeText.instant(12_345_002));
        assertThat(TimeText.instant(10_000_000)).hasSameSizeAs(TimeText.instant(99_999_999));
    }

    @Test
    void ticksUseTheUnitOfTheirSizeAndTheDecimalsOfTheirStep() {
        assertThat(TimeText.tick(1_500_000, 500_000)).isEqualTo("1.5 ms");
        assertThat(TimeText.tick(800_000, 200_000)).isEqualTo("800 µs");
        assertThat(TimeText.tick(42_200_000, 200_000)).isEqualTo("42.2 ms");
        assertThat(TimeText.tick(0, 200_000)).isEqualTo("0 µs");
        assertThat(TimeText.tick(2_000_000, 1_000_000)).isEqualTo("2 ms");
        assertThat(TimeText.tick(3e9, 1e9)).isEqualTo("3 s");
        assertThat(TimeText.tick(50, 10)).isEqualTo("50 ns");
    }
}
