package dev.vmscope.app.ui.timeline;

import javafx.scene.paint.Color;

/** Colours and sizes the timeline canvas draws with; one per theme (CSS cannot style canvas drawing). */
public record TimelineStyle(Color background, Color laneEven, Color laneOdd, Color text, Color grid,
                            Color selection, Color viewportBox, Color breakpoint, double fontScale) {

    public static final TimelineStyle DEFAULT = new TimelineStyle(Color.web("#ffffff"), Color.web("#f4f6f9"),
            Color.web("#eaeef4"), Color.web("#1f2937"), Color.web("#cbd2dc"), Color.web("#111827"),
            Color.web("#2563eb"), Color.web("#dc2626"), 1.0);

    /** High contrast, large type: readable from the back of a lecture hall. */
    public static final TimelineStyle PRESENTER = new TimelineStyle(Color.web("#000000"), Color.web("#141414"),
            Color.web("#1f1f1f"), Color.web("#ffffff"), Color.web("#5a5a5a"), Color.web("#ffff00"),
            Color.web("#00e5ff"), Color.web("#ff3b3b"), 1.75);

    /** The same colours with type {@code scale} times the default theme's. */
    public TimelineStyle withFontScale(double scale) {
        return new TimelineStyle(background, laneEven, laneOdd, text, grid, selection, viewportBox, breakpoint, scale);
    }
}
