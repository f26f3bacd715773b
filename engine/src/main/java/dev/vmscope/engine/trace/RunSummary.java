package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.kernel.KernelEvents;

import java.util.Map;
import java.util.TreeMap;

/**
 * The end-of-run summary: how many exits of which kind, how it ended, how fast it went, and the kernel events
 * beside them ({@code kernelEvents} null when they were not captured; {@code kernelNote} says why, or "").
 */
public record RunSummary(long exits, Map<String, Long> exitsByReason, Outcome outcome, double seconds,
                         Map<String, Long> kernelEvents, long kernelEventsLost, String kernelNote) {

    public double exitsPerSecond() {
        return seconds > 0 ? exits / seconds : 0;
    }

    public static RunSummary of(ExitSource source, double seconds) {
        ExitColumns c = source.columns();
        long n = c.size();
        long[] counts = new long[256];
        long lost = 0;
        for (long i = 0; i < n; i++) {
            if (c.vcpu(i) == ExitColumns.LOST) {
                lost++;   // damaged in a recovered trace: no reason to count
            } else {
                counts[c.reasonCode(i)]++;
            }
        }
        Map<String, Long> byReason = new TreeMap<>();
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                byReason.put(reasonName(r), counts[r]);
            }
        }
        KernelEvents k = source.kernelEvents();
        return new RunSummary(n - lost, byReason, source.outcome(), seconds,
                k.capture().on() ? k.countsByName() : null, k.lost(), k.capture().note());
    }

    /** KVM's name for a raw exit code as stored in the columns. */
    public static String reasonName(int code) {
        KvmExitReason r = KvmExitReason.of(code);
        return r == KvmExitReason.OTHER ? "EXIT_" + code : r.name();
    }

    /** Human-readable, several lines. */
    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("exits: %d in %.3f s (%.0f exits/s)%n", exits, seconds, exitsPerSecond()));
        exitsByReason.forEach((k, v) -> b.append(String.format("  %-16s %d%n", k, v)));
        if (kernelEvents != null) {
            long total = kernelEvents.values().stream().mapToLong(Long::longValue).sum();
            b.append(String.format("kernel events: %d (lost %d)%n", total, kernelEventsLost));
            kernelEvents.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> b.append(String.format("  %-24s %d%n", e.getKey(), e.getValue())));
        }
        if (outcome != null) {
            b.append("outcome: ").append(outcome.kind()).append(" — ").append(outcome.message());
        }
        return b.toString();
    }

    /** One JSON object on one line, for scripts. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"exits\":").append(exits).append(",\"exitsByReason\":");
        appendCounts(b, exitsByReason);
        b.append(",\"outcome\":").append(outcome == null ? "null" : Json.quote(outcome.kind().name()));
        if (outcome != null) {
            b.append(",\"status\":").append(outcome.status())
                    .append(",\"message\":").append(Json.quote(outcome.message()));
        }
        if (kernelEvents != null) {
            b.append(",\"kernelEvents\":");
            appendCounts(b, kernelEvents);
            b.append(",\"kernelEventsLost\":").append(kernelEventsLost);
        }
        b.append(",\"seconds\":").append(String.format(java.util.Locale.ROOT, "%.6f", seconds))
                .append(",\"exitsPerSecond\":").append(String.format(java.util.Locale.ROOT, "%.1f", exitsPerSecond()))
                .append('}');
        return b.toString();
    }

    /** {@code {"NAME":count,…}} */
    private static void appendCounts(StringBuilder b, Map<String, Long> counts) {
        b.append('{');
        boolean first = true;
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append(Json.quote(e.getKey())).append(':').append(e.getValue());
        }
        b.append('}');
    }
}
