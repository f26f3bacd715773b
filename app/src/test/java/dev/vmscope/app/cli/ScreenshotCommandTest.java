package dev.vmscope.app.cli;

import dev.vmscope.app.ui.testing.Guests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --screenshot}: the real command in its own JVM (JavaFX starts once per process), rendering headless with
 * no display, writing a PNG of the asked size and exiting; bad requests are one line and exit code 2.
 */
class ScreenshotCommandTest {
    static final Path SAMPLES = Path.of(System.getProperty("vmscope.samples", "../samples"));

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    /** Runs {@code vmscope ARGS} in a fresh JVM without a display; at most two minutes. */
    static Result vmscope(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Djava.util.prefs.userRoot=" + Files.createTempDirectory("vmscope-prefs"),
                "-cp", System.getProperty("java.class.path"), "dev.vmscope.app.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("DISPLAY");
        Path out = Files.createTempFile("shot", ".out");
        Path err = Files.createTempFile("shot", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vmscope " + String.join(" ", args) + " did not exit within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** How many distinct colours a picture has: a blank or failed render has one or two. */
    static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void replayInThePresenterThemeAtAProjectorsSize() throws Exception {
        Path png = tmp.resolve("replay.png");
        Result r = vmscope("open", SAMPLES.resolve("smp/smp.vmtrace").toString(), "--theme", "presenter",
                "--size", "1280x720", "--walkthrough-step", "3", "--screenshot", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1280);
        assertThat(img.getHeight()).isEqualTo(720);
        assertThat(colours(img)).isGreaterThan(20);
        assertThat(img.getRGB(2, 700) & 0xFFFFFF).as("presenter theme: a black status bar").isEqualTo(0);
    }

    @Test
    void liveGuestRunToAWalkthroughStep() throws Exception {
        Guests.requireKvm();
        Path png = tmp.resolve("live.png");
        Result r = vmscope("ui", SAMPLES.resolve("smp").toString(), "--size", "1024x768", "--walkthrough-step", "2",
                "--screenshot", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1024);
        assertThat(img.getHeight()).isEqualTo(768);
        assertThat(colours(img)).isGreaterThan(20);
    }

    @Test
    void aStepPastTheLastIsOneLineAndExitCode2() throws Exception {
        Result r = vmscope("open", SAMPLES.resolve("hello/hello.vmtrace").toString(), "--walkthrough-step", "99",
                "--screenshot", tmp.resolve("x.png").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--walkthrough-step 99: the walkthrough has").doesNotContain("\tat ");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(tmp.resolve("x.png")).doesNotExist();
    }

    @Test
    void badWindowOptionsAreUsageErrors() {
        String trace = SAMPLES.resolve("hello/hello.vmtrace").toString();
        assertThat(CliErrorsTest.vmscope("open", trace, "--size", "big").err()).contains("--size takes WIDTHxHEIGHT");
        assertThat(CliErrorsTest.vmscope("open", trace, "--size", "10x10").code()).isEqualTo(2);
        assertThat(CliErrorsTest.vmscope("open", trace, "--theme", "dark").err()).contains("default or presenter");
        assertThat(CliErrorsTest.vmscope("open", trace, "--walkthrough-step", "0").code()).isEqualTo(2);
        assertThat(CliErrorsTest.vmscope("open", trace, "--screenshot", tmp.resolve("a.jpg").toString()).err())
                .contains("name a .png file");
        assertThat(CliErrorsTest.vmscope("open", trace, "--screenshot", tmp.resolve("no/a.png").toString()).err())
                .contains("no such directory");
    }
}
