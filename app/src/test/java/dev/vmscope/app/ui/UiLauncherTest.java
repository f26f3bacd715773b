package dev.vmscope.app.ui;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With no arguments the window opens the default sample, found where the samples are. */
class UiLauncherTest {

    @Test
    void theDefaultRequestRunsTheHelloSample() {
        LaunchRequest r = UiLauncher.defaultRequest();
        assertThat(r.guest()).isNotNull();
        assertThat(r.guest().name()).isEqualTo(UiLauncher.DEFAULT_SAMPLE);
        assertThat(r.samplesDir().resolve("hello").resolve("sample.properties")).exists();
        assertThat(r.replay()).isNull();
    }
}
