package dev.vmscope.engine.symbols;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Linux {@code System.map} (or {@code nm} output): lines of {@code ADDRESS TYPE NAME}. Text and data
 * symbols are kept (types t, T, d, D, r, R, b, B, w, W); absolute symbols and lines that do not parse are
 * skipped, counted for the caller's warning.
 */
public final class SystemMap {
    private SystemMap() {
    }

    public record Parsed(SymbolTable table, int skipped) {
    }

    public static Parsed parse(String text) {
        List<SymbolTable.Symbol> out = new ArrayList<>();
        int skipped = 0;
        for (String line : text.split("\n")) {
            String[] w = line.strip().split("\\s+");
            if (w.length < 3 || w[0].length() > 16 || w[1].length() != 1) {
                skipped += line.isBlank() ? 0 : 1;
                continue;
            }
            char type = Character.toLowerCase(w[1].charAt(0));
            if ("tdrbw".indexOf(type) < 0) {
                continue;
            }
            try {
                out.add(new SymbolTable.Symbol(w[2], Long.parseUnsignedLong(w[0].toLowerCase(Locale.ROOT), 16), 0));
            } catch (NumberFormatException e) {
                skipped++;
            }
        }
        return new Parsed(SymbolTable.of(out), skipped);
    }
}
