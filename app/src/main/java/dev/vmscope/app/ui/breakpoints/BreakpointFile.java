package dev.vmscope.app.ui.breakpoints;

import dev.vmscope.engine.debug.AddressBreakpoint;
import dev.vmscope.engine.io.IoErrors;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The breakpoints of one guest, saved as a small properties file per guest name under the user's config
 * directory ({@code $XDG_CONFIG_HOME/vmscope/breakpoints/NAME.properties}, else {@code ~/.config/…}), so they
 * come back when the same guest opens again:
 * <pre>
 * reason.IO=on port=0x3f8
 * reason.HLT=off
 * address.1=0x100f x 1 on
 * </pre>
 * Writes go to a temporary file first and replace the old one, newest wins; a failed write leaves no
 * temporary file. A file that cannot be read (malformed, too large, unreadable) is never overwritten in
 * silence: it is renamed aside and {@link #load} says so, so the user's breakpoints can be rescued by hand.
 */
public final class BreakpointFile {
    /** A saved exit-reason row. */
    public record Reason(String name, boolean checked, String conditions) {
    }

    /** A saved address row. */
    public record Address(long address, AddressBreakpoint.Kind kind, int length, boolean enabled) {
    }

    /** Everything saved for one guest. */
    public record Saved(List<Reason> reasons, List<Address> addresses) {
        public static final Saved EMPTY = new Saved(List.of(), List.of());
    }

    /** Far more than any guest's breakpoints; a larger file is not read (it would only cost memory). */
    static final long MAX_BYTES = 256 * 1024;

    /** A saved file that could not be read; it was renamed aside to {@code keptAs} (null if that failed too). */
    public static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message);
        }
    }

    private final Path dir;
    /** The newest version saved, per guest. */
    private final java.util.Map<String, Long> written = new java.util.HashMap<>();

    public BreakpointFile(Path dir) {
        this.dir = dir;
    }

    /** The user's directory for saved breakpoints. */
    public static Path userDirectory() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("vmscope").resolve("breakpoints");
    }

    public Path directory() {
        return dir;
    }

    /** The file for guest {@code guest} (its name made safe for a file name). */
    public Path fileFor(String guest) {
        String safe = guest.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) {
            safe = "_" + safe;
        }
        return dir.resolve(safe + ".properties");
    }

    /**
     * What was saved for {@code guest}; empty when nothing was. A file that cannot be read is renamed aside
     * and {@link Unreadable} says where it went. Any thread.
     */
    public Saved load(String guest) {
        Path f = fileFor(guest);
        if (!Files.exists(f)) {
            return Saved.EMPTY;
        }
        Properties p = new Properties();
        try {
            if (!Files.isRegularFile(f)) {
                throw new IOException("not a regular file");
            }
            if (Files.size(f) > MAX_BYTES) {
                throw new IOException(String.format("%,d bytes, more than %,d", Files.size(f), MAX_BYTES));
            }
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                p.load(r);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreadable(setAside(f, e instanceof IOException io ? IoErrors.cause(io) : e.getMessage()));
        }
        List<Reason> reasons = new ArrayList<>();
        TreeMap<Integer, Address> addresses = new TreeMap<>();
        for (String k : p.stringPropertyNames()) {
            String v = p.getProperty(k).trim();
            if (k.startsWith("reason.")) {
                String[] w = v.split("\\s+", 2);
                reasons.add(new Reason(k.substring(7), w[0].equals("on"), w.length > 1 ? w[1].trim() : ""));
            } else if (k.startsWith("address.")) {
                Address a = parseAddress(v);
                if (a != null) {
                    try {
                        addresses.put(Integer.parseInt(k.substring(8)), a);
                    } catch (NumberFormatException ignored) {
                        // a hand-edited key: skip it
                    }
                }
            }
        }
        return new Saved(reasons, new ArrayList<>(addresses.values()));
    }

    /** Renames an unreadable file aside (never over an earlier one) and says what happened, in one line. */
    private static String setAside(Path f, String why) {
        String msg = "Saved breakpoints " + f + " could not be read (" + why + ")";
        for (int i = 1; i < 1000; i++) {
            Path aside = f.resolveSibling(f.getFileName() + ".unreadable" + (i == 1 ? "" : "." + i));
            if (!Files.exists(aside)) {
                try {
                    Files.move(f, aside);
                    return msg + "; kept as " + aside.getFileName();
                } catch (IOException e) {
                    return msg + " and could not be set aside: " + IoErrors.cause(e);
                }
            }
        }
        return msg;
    }

    private static Address parseAddress(String v) {
        String[] w = v.split("\\s+");
        if (w.length != 4) {
            return null;
        }
        try {
            long a = Long.parseUnsignedLong(w[0].toLowerCase(Locale.ROOT).replaceFirst("^0x", ""), 16);
            AddressBreakpoint.Kind kind = AddressBreakpoint.Kind.parse(w[1]);
            return new Address(a, kind, Integer.parseInt(w[2]), w[3].equals("on"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Saves {@code saved} for {@code guest}; {@code version} orders concurrent saves (an older one arriving late
     * is dropped). Any thread; I/O errors come back as UncheckedIOException.
     */
    public synchronized void save(String guest, Saved saved, long version) {
        if (version <= written.getOrDefault(guest, -1L)) {
            return;
        }
        written.put(guest, version);
        Properties p = new Properties();
        for (Reason r : saved.reasons()) {
            p.setProperty("reason." + r.name(), (r.checked() ? "on" : "off")
                    + (r.conditions().isBlank() ? "" : " " + r.conditions().trim()));
        }
        int n = 1;
        for (Address a : saved.addresses()) {
            p.setProperty("address." + n++, String.format("0x%x %s %d %s", a.address(),
                    AddressBreakpointRow.kindWord(a.kind()), a.length(), a.enabled() ? "on" : "off"));
        }
        Path f = fileFor(guest);
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".bp", ".tmp");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    p.store(w, "vmscope breakpoints for guest " + guest);
                }
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);   // gone after the move; after a failure, nothing left behind
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save breakpoints to " + f + ": " + IoErrors.cause(e), e);
        }
    }
}
