package dev.vmscope.app.ui.vmcs;

import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.vmcs.Decoded;
import dev.vmscope.engine.vmcs.DecodedBits;
import dev.vmscope.engine.vmcs.BitDecoders;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An exit qualification (or any decoded field) read out in words for the explanation pane: a sentence for
 * I/O exits, a list of what each part says for the other layouts; unknown parts are said to be unknown.
 */
public final class QualificationWords {
    private QualificationWords() {
    }

    /** What the parts of {@code d} say, one item each ("direction: OUT"); clear flags are left out. */
    public static List<String> parts(Decoded d) {
        List<String> out = new ArrayList<>();
        if (d.summaryOverride() != null) {
            out.add(d.summaryOverride());
            return out;
        }
        for (DecodedBits b : d.bits()) {
            if (!b.known()) {
                out.add(b.meaning() + ": unknown (bit" + (b.high() == b.low() ? " " : "s ") + b.range() + ")");
            } else if (b.isFlag()) {
                if (b.value() != 0) {
                    out.add(b.meaning() + " (" + b.name() + ")");
                }
            } else if (!(b.quietWhenZero() && b.value() == 0)) {
                out.add(b.meaning() + ": " + (b.valueText() != null ? b.valueText()
                        : "0x" + Long.toHexString(b.value()).toUpperCase(Locale.ROOT)));
            }
        }
        return out;
    }

    /** True when {@code d} is an I/O-instruction qualification. */
    public static boolean isIo(Decoded d) {
        return d != null && BitDecoders.IO_QUALIFICATION.title().equals(d.title());
    }

    /**
     * An I/O qualification as sentences: "OUT of 1 byte to port 0x3F8 (COM1 serial port (UART): data
     * register). The port came from DX; not a string instruction; no REP prefix." The bits only the
     * instruction can tell are named as unknown when they are.
     */
    public static String io(Decoded d) {
        String dir = d.part("DIR").map(DecodedBits::valueText).orElse("I/O");
        String size = d.part("SIZE").map(b -> b.valueText() != null ? b.valueText() : (b.value() + 1) + " bytes")
                .orElse("?");
        int port = (int) d.get("PORT");
        StringBuilder s = new StringBuilder();
        s.append(dir).append(" of ").append(size).append(dir.equals("IN") ? " from" : " to").append(" port ")
                .append(String.format("0x%X", port));
        String name = Ports.describe(port);
        if (name != null) {
            s.append(" (").append(name).append(")");
        }
        s.append('.');
        List<String> known = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        d.part("OPERAND").ifPresent(b -> {
            if (b.known()) {
                known.add(b.value() == 0 ? "the port number came from DX" : "the port number was an immediate byte");
            } else {
                unknown.add("took the port from DX or an immediate");
            }
        });
        d.part("STRING").ifPresent(b -> {
            if (b.known()) {
                known.add(b.value() != 0 ? "a string instruction (" + (dir.equals("IN") ? "INS" : "OUTS") + ")"
                        : "not a string instruction");
            } else {
                unknown.add("was a string instruction");
            }
        });
        d.part("REP").ifPresent(b -> {
            if (b.known()) {
                known.add(b.value() != 0 ? "with a REP prefix" : "no REP prefix");
            } else {
                unknown.add("had a REP prefix");
            }
        });
        if (!known.isEmpty()) {
            String k = String.join("; ", known);
            s.append(' ').append(Character.toUpperCase(k.charAt(0))).append(k.substring(1)).append('.');
        }
        if (!unknown.isEmpty()) {
            s.append(" Unknown (?): whether the instruction ").append(join(unknown)).append('.');
        }
        return s.toString();
    }

    /** What the guest sent or received, from KVM's I/O exit: "The guest wrote 0x48 ('H')." */
    public static String ioData(KvmExit.Io io) {
        if (io.count() != 1) {
            return String.format("%d elements of %d byte%s moved (a REP string instruction).", io.count(), io.size(),
                    io.size() == 1 ? "" : "s");
        }
        long v = io.value();
        String ch = io.size() == 1 && v >= 0x20 && v < 0x7F ? " ('" + (char) v + "')" : "";
        return io.out() ? String.format("The guest wrote 0x%X%s.", v, ch)
                : String.format("The VMM answers with the value read: 0x%X%s.", v, ch);
    }

    private static String join(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }

    /** The PC ports the samples and lectures meet, by name. */
    static final class Ports {
        private Ports() {
        }

        static String describe(int port) {
            String[] com = {"data register", "interrupt enable", "interrupt identification / FIFO control",
                    "line control", "modem control", "line status", "modem status", "scratch"};
            if (port >= 0x3F8 && port <= 0x3FF) {
                return "COM1 serial port (UART), " + com[port - 0x3F8];
            }
            if (port >= 0x2F8 && port <= 0x2FF) {
                return "COM2 serial port (UART), " + com[port - 0x2F8];
            }
            return switch (port) {
                case 0x20, 0x21 -> "master 8259 PIC";
                case 0xA0, 0xA1 -> "slave 8259 PIC";
                case 0x40, 0x41, 0x42, 0x43 -> "8254 programmable interval timer";
                case 0x60 -> "8042 keyboard controller, data";
                case 0x64 -> "8042 keyboard controller, status/command";
                case 0x70 -> "CMOS/RTC index";
                case 0x71 -> "CMOS/RTC data";
                case 0x80 -> "POST diagnostic code";
                case 0x92 -> "system control port A (fast A20)";
                case 0xE9 -> "Bochs/QEMU debug console";
                case 0xCF8 -> "PCI configuration address";
                case 0xCFC, 0xCFD, 0xCFE, 0xCFF -> "PCI configuration data";
                case 0x3D4 -> "VGA CRT controller index";
                case 0x3D5 -> "VGA CRT controller data";
                case 0xF4 -> "QEMU's isa-debug-exit as usually configured (iobase=0xf4)";
                default -> null;
            };
        }
    }
}
