package dev.vmscope.app.ui;

import java.nio.file.Path;

/**
 * How the window opens, from the command line: its size, theme, a walkthrough step to run to, and a PNG to
 * write of it (after which the window closes).
 *
 * @param width           window width in pixels (0: the screen's, at most 1600)
 * @param height          window height in pixels (0: the screen's, at most 1000)
 * @param theme           the theme (null: the one the user last chose)
 * @param walkthroughStep run the walkthrough to this step, 1 being the first (0: none)
 * @param screenshot      write the window to this PNG and exit (null: stay open)
 */
public record WindowOptions(int width, int height, Theme theme, int walkthroughStep, Path screenshot) {
    /** Smallest and largest window a size may ask for. */
    public static final int MIN_SIDE = 320;
    public static final int MAX_SIDE = 8192;

    public static final WindowOptions NONE = new WindowOptions(0, 0, null, 0, null);

    public boolean hasSize() {
        return width > 0 && height > 0;
    }

    /** {@code WxH}, e.g. {@code 1280x720}; a bad one is an IllegalArgumentException naming the option. */
    public static int[] parseSize(String s) {
        var m = java.util.regex.Pattern.compile("(\\d{1,5})[xX×](\\d{1,5})").matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--size takes WIDTHxHEIGHT in pixels, e.g. 1280x720 (got '" + s + "')");
        }
        int w = Integer.parseInt(m.group(1));
        int h = Integer.parseInt(m.group(2));
        if (w < MIN_SIDE || h < MIN_SIDE || w > MAX_SIDE || h > MAX_SIDE) {
            throw new IllegalArgumentException("--size must be between " + MIN_SIDE + " and " + MAX_SIDE
                    + " pixels on each side (got " + s + ")");
        }
        return new int[] {w, h};
    }

    /** {@code default} or {@code presenter}. */
    public static Theme parseTheme(String s) {
        return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "default" -> Theme.DEFAULT;
            case "presenter" -> Theme.PRESENTER;
            default -> throw new IllegalArgumentException("--theme is default or presenter (got '" + s + "')");
        };
    }
}
