package dev.vmscope.app.ui.stats;

import dev.vmscope.app.ui.FxThread;
import dev.vmscope.engine.kernel.KernelEvents;
import dev.vmscope.engine.trace.ExitColumns;
import dev.vmscope.engine.trace.ExitSource;
import dev.vmscope.engine.trace.TraceStatistics;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts for the statistics tab: exits per reason, per vCPU, and per time bucket (rate), computed from the
 * columns off the FX thread, again as a live run grows. While the tab shows them, also the payload counts that
 * {@code vmscope stats} prints ({@link TraceStatistics}: I/O ports, MSRs, MMIO pages, guest time before each
 * exit), which decode every exit and so are only counted when someone looks.
 */
public final class StatisticsViewModel {
    public static final int RATE_BUCKETS = 60;

    /**
     * A snapshot of the counts; immutable once published. {@code kernelByName}: kernel events per tracepoint,
     * most first (empty when the run has none), {@code kernelSize} how many were counted, {@code kernelLost}
     * how many the kernel lost; {@code payloads} the decoded counts, null when they were not asked for.
     */
    public record Counts(long exits, long[] byReason, long[] byVcpu, long[] rate, double startNs, double bucketNs,
                         Map<String, Long> kernelByName, long kernelSize, long kernelLost, TraceStatistics payloads) {
    }

    private final ReadOnlyObjectWrapper<Counts> counts = new ReadOnlyObjectWrapper<>(this, "counts");
    /** FX thread: a count is running or its result is on its way. */
    private boolean computing;
    private volatile ExitSource source;
    /** The tab is showing: count the payloads too (FX thread). */
    private boolean payloadsWanted;
    private long counted;
    private long kernelCounted;
    /** FX thread: a refresh was asked for while a count was running. */
    private boolean again;

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
        Counts shown = counts.get();
        boolean payloadsMissing = payloadsWanted && (shown == null || shown.payloads() == null);
        if (s == null || (s.columns().size() == counted && s.kernelEvents().size() == kernelCounted
                && !payloadsMissing)) {
            return;
        }
        if (computing) {
            again = true;            // asked while counting: count once more when this count is in
            return;
        }
        computing = true;
        boolean payloads = payloadsWanted;
        // the flag clears on the FX thread as the result is shown, so a newer count can never be overwritten by
        // an older one whose result was still on its way; a count that failed clears it too
        FxThread.background(() -> count(s, payloads)).whenComplete((c, failed) -> FxThread.run(() -> {
            computing = false;
            if (c != null && source == s) {
                counted = c.exits();
                kernelCounted = c.kernelSize();
                counts.set(c);
            }
            if (again) {
                again = false;
                refresh();
            }
        }));
    }

    /**
     * Whether the payload counts are wanted (the tab shows them): they are counted at the next refresh and kept
     * up to date while wanted; when not, only the columns are counted.
     */
    public void setPayloadsWanted(boolean wanted) {
        payloadsWanted = wanted;
        if (wanted) {
            refresh();
        }
    }

    /** The column counts alone (any thread). */
    public static Counts count(ExitSource s) {
        return count(s, false);
    }

    /** The counting itself (any thread): one pass over the columns, and with {@code payloads} a decoding scan. */
    public static Counts count(ExitSource s, boolean payloads) {
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
        KernelEvents k = s.kernelEvents();
        long kernelSize = k.size();
        Map<String, Long> byName = new LinkedHashMap<>();
        k.countsByName().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> byName.put(e.getKey(), e.getValue()));
        return new Counts(n, byReason, byVcpu, rate, start, bucket, byName, kernelSize, k.lost(),
                payloads ? TraceStatistics.of(s) : null);
    }
}
