package dev.vmscope.engine.vmcs;

/** x86 exception vector mnemonics and which vectors push an error code. */
public final class Vectors {
    private static final String[] NAMES = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "CSO",
            "#TS", "#NP", "#SS", "#GP", "#PF", null, "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", null, null, null, null,
            null, null, "#HV", "#VC", "#SX", null};

    private Vectors() {
    }

    /** "#GP" etc., or null for vectors without a mnemonic (all vectors from 32 up). */
    public static String mnemonic(int vector) {
        return vector >= 0 && vector < NAMES.length ? NAMES[vector] : null;
    }

    static String suffix(int vector) {
        String m = mnemonic(vector);
        return m == null ? "" : "_" + m.replace("#", "");
    }

    /** Exceptions that deliver an error code in protected mode: #DF #TS #NP #SS #GP #PF #AC #CP #VC #SX. */
    public static boolean pushesErrorCode(int vector) {
        return switch (vector) {
            case 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 -> true;
            default -> false;
        };
    }
}
