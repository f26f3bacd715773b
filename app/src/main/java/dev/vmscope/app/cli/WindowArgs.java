package dev.vmscope.app.cli;

import dev.vmscope.app.ui.WindowOptions;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** The window options {@code ui} and {@code open} share: size, theme, walkthrough step, screenshot. */
public final class WindowArgs {
    @Option(names = "--size", paramLabel = "WxH", description = "Window size in pixels, e.g. 1280x720.")
    String size;

    @Option(names = "--theme", paramLabel = "THEME", description = "default or presenter.")
    String theme;

    @Option(names = "--walkthrough-step", paramLabel = "N", description = "Open the sample's walkthrough and run"
            + " it to step N (1 is the first).")
    Integer step;

    @Option(names = "--screenshot", paramLabel = "FILE.png", description = "Write a PNG of the window (rendered"
            + " headless, after the walkthrough step if one is given) and exit.")
    Path screenshot;

    /** The options as given; a bad value is an IllegalArgumentException (one line, exit code 2). */
    WindowOptions options() {
        int[] wh = size == null ? new int[] {0, 0} : WindowOptions.parseSize(size);
        if (step != null && step < 1) {
            throw new IllegalArgumentException("--walkthrough-step counts from 1 (got " + step + ")");
        }
        if (screenshot != null) {
            if (!screenshot.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                throw new IllegalArgumentException("--screenshot writes a PNG: name a .png file (got " + screenshot + ")");
            }
            Path dir = screenshot.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--screenshot: no such directory: " + dir);
            }
        }
        return new WindowOptions(wh[0], wh[1], theme == null ? null : WindowOptions.parseTheme(theme),
                step == null ? 0 : step, screenshot);
    }
}
