package dev.vmscope.app.ui;

import dev.vmscope.app.ui.timeline.TimelineStyle;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/** The two looks of the window: the default theme and the high-contrast, large-type presenter theme. */
public enum Theme {
    DEFAULT(TimelineStyle.DEFAULT, "default.css"),
    /** For lecture halls: about 175 % type, white on black, thicker focus and selection. */
    PRESENTER(TimelineStyle.PRESENTER, "default.css", "presenter.css");

    /** The default theme's type size in pixels (default.css), which the presenter theme's size is relative to. */
    public static final double DEFAULT_TYPE_PX = 13;

    private final TimelineStyle timelineStyle;
    private final String[] sheets;

    Theme(TimelineStyle timelineStyle, String... sheets) {
        this.timelineStyle = timelineStyle;
        this.sheets = sheets;
    }

    /** How much larger than the default theme the type is (for widths set in pixels, e.g. table columns). */
    public double scale() {
        return timelineStyle.fontScale();
    }

    public TimelineStyle timelineStyle() {
        return timelineStyle;
    }

    /** The stylesheet URLs, in the order they apply (styles/ is mapped to this package's styles/ folder). */
    public List<String> stylesheets() {
        List<String> out = new ArrayList<>();
        for (String s : sheets) {
            URL u = Theme.class.getResource("styles/" + s);
            if (u == null) {
                throw new IllegalStateException("stylesheet styles/" + s + " is missing from the classpath");
            }
            out.add(u.toExternalForm());
        }
        return out;
    }
}
