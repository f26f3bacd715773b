package dev.vmscope.engine.vmcs;

/** The four kinds of VMCS field, with the type code the SDM puts in encoding bits 11:10. */
public enum Area {
    CONTROL(0, "control"),
    /** The SDM's "VM-exit information" / read-only data fields. */
    EXIT_INFO(1, "exit information"),
    GUEST(2, "guest state"),
    HOST(3, "host state");

    public final int code;
    private final String label;

    Area(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Area ofCode(int code) {
        for (Area a : values()) {
            if (a.code == code) {
                return a;
            }
        }
        throw new IllegalArgumentException("area code " + code);
    }

    /** What a user types to pick areas: guest, host, control(s), exit (exit-info) or all. */
    public static java.util.Set<Area> parse(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "all" -> java.util.EnumSet.allOf(Area.class);
            case "guest" -> java.util.EnumSet.of(GUEST);
            case "host" -> java.util.EnumSet.of(HOST);
            case "control", "controls" -> java.util.EnumSet.of(CONTROL);
            case "exit", "exit-info", "exitinfo" -> java.util.EnumSet.of(EXIT_INFO);
            default -> throw new IllegalArgumentException("unknown area '" + name + "' (guest, host, control, exit, all)");
        };
    }
}
