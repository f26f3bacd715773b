package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.app.ui.session.LiveSession;
import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.ExitBreakpoint;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.trace.BreakpointHit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@link BreakpointEngine} on a live guest: every call runs on the session's control thread, which alone owns
 * the key-to-breakpoint table below, so calls take effect in the order they were made.
 */
public final class LiveBreakpointEngine implements BreakpointEngine {
    /** What one key stands for in the engine (control thread only). */
    private static final class Entry {
        final boolean address;
        int id = -1;
        String spec;
        long addr;
        AddressBreakpoint.Kind kind;
        int length;
        /** Every engine id an address key has had (disabling deletes it; enabling adds a new one). */
        final Set<Integer> ids = new HashSet<>();

        Entry(boolean address) {
            this.address = address;
        }
    }

    private final LiveSession session;
    private final Map<String, Entry> entries = new HashMap<>();

    public LiveBreakpointEngine(LiveSession session) {
        this.session = session;
    }

    @Override
    public CompletableFuture<Applied> applyExit(String key, String spec, boolean enabled) {
        return session.onControl(d -> {
            Entry e = entries.get(key);
            if (e != null && spec.equals(e.spec) && e.id >= 0) {
                d.setBreakpointEnabled(e.id, enabled);
                return new Applied(e.id, null);
            }
            if (e != null && e.id >= 0) {
                d.deleteBreakpoint(e.id);   // a changed condition is a new breakpoint; a bad one leaves none
            }
            entries.remove(key);
            ExitBreakpoint b;
            try {
                b = d.addExitBreakpoint(spec);
            } catch (RuntimeException ex) {
                return Applied.failed(message(ex));
            }
            d.setBreakpointEnabled(b.id(), enabled);
            Entry n = new Entry(false);
            n.id = b.id();
            n.spec = spec;
            entries.put(key, n);
            return new Applied(b.id(), null);
        });
    }

    @Override
    public CompletableFuture<Applied> applyAddress(String key, long address, AddressBreakpoint.Kind kind, int length,
                                                   boolean enabled) {
        return session.onControl(d -> {
            Entry e = entries.computeIfAbsent(key, k -> new Entry(true));
            boolean same = e.id >= 0 && e.addr == address && e.kind == kind && e.length == length;
            if (same && enabled) {
                return new Applied(e.id, null);
            }
            if (e.id >= 0) {
                d.deleteBreakpoint(e.id);
                e.id = -1;
            }
            e.addr = address;
            e.kind = kind;
            e.length = length;
            if (!enabled) {
                return Applied.NONE;
            }
            try {
                AddressBreakpoint b = d.addAddressBreakpoint(address, kind, length);
                e.id = b.id();
                e.ids.add(b.id());
                return new Applied(b.id(), null);
            } catch (RuntimeException ex) {
                return Applied.failed(message(ex));
            }
        });
    }

    @Override
    public CompletableFuture<Void> remove(String key) {
        return session.onControl(d -> {
            Entry e = entries.remove(key);
            if (e != null && e.id >= 0) {
                d.deleteBreakpoint(e.id);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Counts> counts() {
        return session.onControl(this::countsNow);
    }

    private Counts countsNow(DebugSession d) {
        Map<String, Long> out = new HashMap<>();
        Map<Integer, Long> matches = new HashMap<>();
        for (ExitBreakpoint b : d.exitBreakpoints()) {
            matches.put(b.id(), b.matches());
        }
        List<BreakpointHit> hits = new ArrayList<>();
        boolean anyAddress = entries.values().stream().anyMatch(e -> e.address && !e.ids.isEmpty());
        if (anyAddress) {
            hits = d.exits().breakpointHits();
        }
        Map<Integer, String> keyOfId = new HashMap<>();
        for (Map.Entry<String, Entry> en : entries.entrySet()) {
            Entry e = en.getValue();
            if (!e.address) {
                if (e.id >= 0) {
                    out.put(en.getKey(), matches.getOrDefault(e.id, 0L));
                    keyOfId.put(e.id, en.getKey());
                }
            } else if (!e.ids.isEmpty()) {
                long n = 0;
                for (BreakpointHit h : hits) {
                    if (e.ids.contains(h.breakpointId())) {
                        n++;
                    }
                }
                out.put(en.getKey(), n);
                for (int id : e.ids) {
                    keyOfId.put(id, en.getKey());
                }
            }
        }
        SessionState st = d.state();
        String stopped = null;
        if (st.mode() == SessionState.Mode.PAUSED && st.reason() == SessionState.StopReason.BREAKPOINT
                && st.hit() != null) {
            stopped = keyOfId.get(st.hit().breakpointId());
        }
        return new Counts(out, stopped);
    }

    private static String message(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
