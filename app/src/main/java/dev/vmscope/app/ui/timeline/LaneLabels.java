package dev.vmscope.app.ui.timeline;

import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * The labels left of the lanes: "vCPU N" over the part of its lane where the exits are and, with kernel events,
 * "kernel" over the sub-lane at the lane's bottom. Each is placed by its type's line height, not by the middle of
 * its band: at presenter type on a short lane the two middles are closer than a line and the labels overprinted.
 * "kernel" is left out of a lane too short for both lines ({@link #laneHeight} is what the canvas asks for).
 */
final class LaneLabels {
    /** Type sizes at the default theme's scale: the vCPU's, and the small one of "kernel" and "whole run". */
    static final double VCPU_PX = 11;
    static final double SMALL_PX = 8;
    /** A line of type is this many times its size high (the system font's ascent and descent, with room). */
    static final double LINE = 1.25;

    /** Line heights by type size, measured once each (a frame draws two sizes; the sizes change rarely). */
    private final java.util.Map<Double, Double> lines = new java.util.HashMap<>();

    /** The least lane height that holds its labels whole: one line, or two with a kernel sub-lane. */
    static double laneHeight(double fontScale, boolean kernel) {
        return Math.ceil(fontScale * LINE * (kernel ? VCPU_PX + SMALL_PX : VCPU_PX));
    }

    /** The small labels' type (the minimap's "whole run" too: that strip is as short as a kernel sub-lane). */
    static Font small(TimelineStyle st) {
        return Font.font("System", SMALL_PX * st.fontScale());
    }

    /** Draws every lane's labels; the first {@code kernelLanes} lanes have kernel sub-lanes. */
    void draw(GraphicsContext g, TimelineRenderer.Layout lay, TimelineStyle st, int kernelLanes) {
        Font big = Font.font("System", VCPU_PX * st.fontScale());
        Font small = small(st);
        double bigLine = line(big);
        double smallLine = line(small);
        g.setFill(st.text());
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        for (int v = 0; v < lay.lanes(); v++) {
            double top = lay.lanesTop() + v * lay.laneHeight();
            double bottom = top + lay.laneHeight();
            boolean sub = v < kernelLanes;
            double bandTop = sub ? KernelLaneRenderer.band(lay, v)[0] : bottom;
            // the middle of the exits' part, but never so low that the line reaches into the kernel label's
            double vcpu = Math.max(top + bigLine / 2, Math.min((top + bandTop) / 2, bottom - bigLine / 2));
            double under = Math.min((bandTop + bottom) / 2, bottom - smallLine / 2);
            g.setFont(big);
            g.fillText("vCPU " + v, 6, vcpu);
            if (sub && vcpu + bigLine / 2 <= under - smallLine / 2) {
                g.setFont(small);
                g.fillText("kernel", 12, under);
            }
        }
    }

    /** The line height of {@code f} (its ascent and descent). */
    private double line(Font f) {
        return lines.computeIfAbsent(f.getSize(), px -> {
            Text t = new Text("vCPU 0 kernel");
            t.setFont(f);
            return t.getLayoutBounds().getHeight();
        });
    }
}
