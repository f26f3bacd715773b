package dev.vmscope.engine.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tracepoint's binary layout, parsed from the running kernel's {@code events/SYSTEM/NAME/format} file: its
 * id (the record's {@code common_type}), its fields with offsets and sizes, and the symbol tables of its print
 * format ({@code __print_symbolic}), which name exit reasons, APIC registers and modes the way this kernel does.
 * The text itself is kept so a trace file can carry it and a replay decodes with the recording host's layout.
 */
public final class EventFormat {
    private final String system;
    private final String name;
    private final int id;
    private final List<FieldFormat> fields;
    private final Map<String, FieldFormat> byName = new LinkedHashMap<>();
    private final List<SymbolTable> symbols;
    private final String text;

    private EventFormat(String system, String name, int id, List<FieldFormat> fields, List<SymbolTable> symbols,
            String text) {
        this.system = system;
        this.name = name;
        this.id = id;
        this.fields = List.copyOf(fields);
        this.symbols = List.copyOf(symbols);
        this.text = text;
        for (FieldFormat f : fields) {
            byName.put(f.name(), f);
        }
    }

    /**
     * Parses a format file's text. {@code system} is the directory it came from ({@code kvm}).
     *
     * @throws IllegalArgumentException when the text has no name, no ID or a field line it cannot read
     */
    public static EventFormat parse(String system, String text) {
        String name = null;
        Integer id = null;
        String printFmt = "";
        List<FieldFormat> fields = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("name:")) {
                name = line.substring(5).strip();
            } else if (line.startsWith("ID:")) {
                try {
                    id = Integer.parseInt(line.substring(3).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("format: bad ID line '" + line + "'");
                }
            } else if (line.startsWith("field:")) {
                fields.add(parseField(line));
            } else if (line.startsWith("print fmt:")) {
                printFmt = line.substring(10).strip();
            }
        }
        if (name == null || id == null) {
            throw new IllegalArgumentException("format: no name or ID line");
        }
        if (id < 0 || id > 0xFFFF) {
            throw new IllegalArgumentException("format: ID " + id + " does not fit common_type (16 bits)");
        }
        return new EventFormat(system, name, id, fields, SymbolTable.parseAll(printFmt), text);
    }

    /** {@code field:unsigned int port;	offset:12;	size:4;	signed:0;} */
    private static FieldFormat parseField(String line) {
        String[] parts = line.split(";");
        if (parts.length < 4) {
            throw new IllegalArgumentException("format: bad field line '" + line + "'");
        }
        String decl = parts[0].substring(6).strip();
        int offset = attribute(parts, "offset", line);
        int size = attribute(parts, "size", line);
        boolean signed = attribute(parts, "signed", line) != 0;
        int space = decl.lastIndexOf(' ');
        String type = space < 0 ? "" : decl.substring(0, space).strip();
        String name = decl.substring(space + 1);
        int arrayLength = 0;
        int bracket = name.indexOf('[');
        if (bracket >= 0) {
            String n = name.substring(bracket + 1, name.indexOf(']', bracket));
            try {
                arrayLength = n.isEmpty() ? 0 : Integer.parseInt(n);
            } catch (NumberFormatException e) {
                arrayLength = size;   // a length written as a constant's name: the size says how many bytes
            }
            name = name.substring(0, bracket);
        }
        return new FieldFormat(type, name, offset, size, signed, arrayLength);
    }

    private static int attribute(String[] parts, String key, String line) {
        for (String p : parts) {
            String s = p.strip();
            if (s.startsWith(key + ":")) {
                try {
                    return Integer.parseInt(s.substring(key.length() + 1).strip());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("format: no " + key + " in '" + line + "'");
    }

    public String system() {
        return system;
    }

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    public List<FieldFormat> fields() {
        return fields;
    }

    /** The field called {@code name}, or null. */
    public FieldFormat field(String name) {
        return byName.get(name);
    }

    /** The print format's symbol tables, in the order they appear. */
    public List<SymbolTable> symbols() {
        return symbols;
    }

    /** The {@code n}-th symbol table that names values of field {@code field}, or null. */
    public SymbolTable symbols(String field, int n) {
        int seen = 0;
        for (SymbolTable t : symbols) {
            if (t.field().equals(field) && seen++ == n) {
                return t;
            }
        }
        return null;
    }

    /** The format file's text, as read. */
    public String text() {
        return text;
    }

    /** The fields after the common ones ({@code common_type}, {@code common_pid} …): what the event itself says. */
    public List<FieldFormat> ownFields() {
        return fields.stream().filter(f -> !f.name().startsWith("common_")).toList();
    }

    @Override
    public String toString() {
        return system + ":" + name + " (id " + id + ")";
    }
}
