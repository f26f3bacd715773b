package dev.vmscope.app.ui.stats;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts for the statistics tab: exits per reason, per vCPU, and per time bucket (rate), computed from the
 * columns off the FX thread, incrementally as a live run grows.
 */
public final class StatisticsViewModel {
    public static final int RATE_BUCKETS = 60;

    /** A snapshot of the counts; immutable once published. */
    public record Counts(long exits, long[] byReason, long[] byVcpu, long[] rate, double startNs, double bucketNs) {
    }

    private final ReadOnlyObjectWrapper<Counts> counts = new ReadOnlyObjectWrapper<>(this, "counts");
    private final AtomicBoolean computing = new AtomicBoolean();
    private volatile ExitSource source;
    private long counted;

    public ReadOnlyObjectProperty<Counts> countsProperty() {
        return counts.getReadOnlyProperty();
    }

    public void setSource(ExitSource s) {
        source = s;
        counted = -1;
        counts.set(null);
        refresh();
    }

    /** Recounts off the FX thread if the source grew since the last count (call at most once per frame). */
    public void refresh() {
        ExitSource s = source;
        if (s == null || s.columns().size() == counted || !computing.compareAndSet(false, true)) {
            return;
        }
        FxThread.background(() -> {
            try {
                return count(s);
            } finally {
                computing.set(false);
            }
        }).thenAccept(c -> FxThread.run(() -> {
            if (source == s) {
                counted = c.exits();
                counts.set(c);
            }
        }));
    }

    /** The counting itself (any thread): one pass over the columns. */
    public static Counts count(ExitSource s) {
        ExitColumns c = s.columns();
        long n = c.size();
        long[] byReason = new long[256];
        long[] byVcpu = new long[Math.max(1, s.machine().vcpus())];
        long[] rate = new long[RATE_BUCKETS];
        double start = n == 0 ? 0 : c.timeNs(0);     // a live run may sit paused before its first exit
        double end = n == 0 ? 1 : c.timeNs(n - 1) + 1;
        double bucket = Math.max(1, end - start) / RATE_BUCKETS;
        for (long q = 0; q < n; q++) {
            byReason[c.reasonCode(q)]++;
            int v = c.vcpu(q);
            byVcpu[Math.min(v, byVcpu.length - 1)]++;
            rate[(int) Math.min(RATE_BUCKETS - 1, Math.max(0, (c.timeNs(q) - start) / bucket))]++;
        }
        return new Counts(n, byReason, byVcpu, rate, start, bucket);
    }
}
