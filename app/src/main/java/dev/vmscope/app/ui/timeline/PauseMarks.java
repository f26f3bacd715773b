package dev.vmscope.app.ui.timeline;

import dev.vmscope.engine.time.Pause;
import dev.vmscope.engine.time.TimeText;
import javafx.scene.canvas.GraphicsContext;

import java.util.List;

/**
 * The debugger's pauses on the timeline: the run's clock cuts them out (so "fit whole run" shows the run), and
 * each is marked where it was by a thin dashed double line across the axis and lanes, so a reader knows the
 * exits either side were apart in wall time. Pauses are few per second of talk, but a script stepping exit by
 * exit makes thousands: only those in view are visited (binary search) and at most {@link #MAX_DRAWN} drawn.
 */
final class PauseMarks {
    static final int MAX_DRAWN = 2000;

    private PauseMarks() {
    }

    static void draw(GraphicsContext g, TimelineRenderer.Layout lay, TimelineViewModel vm, List<Pause> pauses,
                     TimelineStyle st) {
        if (pauses.isEmpty()) {
            return;
        }
        double bottom = lay.lanesTop() + lay.lanes() * lay.laneHeight();
        g.setStroke(st.grid());
        g.setLineWidth(1);
        g.setLineDashes(2, 2);
        int drawn = 0;
        for (int i = firstAtOrAfter(pauses, vm.viewStart()); i < pauses.size() && drawn < MAX_DRAWN; i++) {
            long at = pauses.get(i).atNs();
            if (at > vm.viewEnd()) {
                break;
            }
            double x = Math.floor(lay.labelWidth() + vm.xOf(at)) + 0.5;
            g.strokeLine(x - 1, lay.axisTop(), x - 1, bottom);
            g.strokeLine(x + 1, lay.axisTop(), x + 1, bottom);
            drawn++;
        }
        g.setLineDashes();
    }

    /** The pause within {@code radiusNs} of run time {@code t} (nearest), or null. */
    static Pause near(List<Pause> pauses, double t, double radiusNs) {
        Pause best = null;
        double bestDist = radiusNs;
        int i = firstAtOrAfter(pauses, t - radiusNs);
        for (; i < pauses.size() && pauses.get(i).atNs() <= t + radiusNs; i++) {
            double d = Math.abs(pauses.get(i).atNs() - t);
            if (d <= bestDist) {
                best = pauses.get(i);
                bestDist = d;
            }
        }
        return best;
    }

    /** What hovering a pause mark says. */
    static String describe(Pause p) {
        return "paused " + TimeText.duration(p.lengthNs()) + " in the debugger here (cut out of the axis)";
    }

    private static int firstAtOrAfter(List<Pause> pauses, double t) {
        int lo = 0;
        int hi = pauses.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (pauses.get(mid).atNs() < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
