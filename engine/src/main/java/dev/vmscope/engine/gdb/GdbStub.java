package dev.vmscope.engine.gdb;

import dev.vmscope.engine.exit.GuestState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * One gdb connection: takes packets from the connection's reader thread and stop notices from the target
 * through one queue, on one thread of its own, and answers them. All-stop: while a run gdb started goes on,
 * only the interrupt byte matters; its stop is reported once, naming the vCPU that really stopped.
 */
final class GdbStub {
    private static final Object WAKE = new Object();
    private static final int MAX_MEMORY = (PacketChannel.MAX_PACKET - 32) / 2;

    private final GdbTarget target;
    private final RegisterMap registers;
    private final PacketChannel channel;
    private final Consumer<String> log;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    /** gdb's (type, address, kind) → the target's breakpoint id. */
    private final Map<String, Integer> breakpoints = new HashMap<>();
    private int registerVcpu;
    private boolean physical;
    private boolean swbreak;
    private boolean hwbreak;
    private Object running;
    private String targetXml;

    GdbStub(GdbTarget target, GdbArch arch, PacketChannel channel, Consumer<String> log) {
        this.target = target;
        this.registers = new RegisterMap(arch);
        this.channel = channel;
        this.log = log;
    }

    /** Feeds the stub; called from the reader thread. */
    void incoming(PacketChannel.Incoming in) {
        events.add(in);
    }

    /** Serves the connection until gdb leaves; returns how it ended. */
    String serve() throws InterruptedException {
        target.onChange(() -> events.add(WAKE));
        registerVcpu = target.currentVcpu();
        boolean kill = false;
        try {
            while (true) {
                Object e = events.take();
                if (e == WAKE) {
                    reportStop();
                } else if (e instanceof PacketChannel.Incoming.Packet p) {
                    String end = packet(p.text(), p.payload());
                    if (end != null) {
                        kill = end.startsWith("killed");
                        return end;
                    }
                } else if (e instanceof PacketChannel.Incoming.Interrupt) {
                    if (running != null) {
                        target.interrupt();
                    }
                } else if (e instanceof PacketChannel.Incoming.Oversized o) {
                    log.accept("gdb: dropped a " + o.length() + "-byte packet (at most " + PacketChannel.MAX_PACKET
                            + " bytes)");
                    send("E01");
                } else if (e instanceof PacketChannel.Incoming.BadChecksum b) {
                    log.accept("gdb: packet '" + printable(b.start()) + "…' had a wrong checksum"
                            + (channel.ackMode() ? "; asked gdb to send it again" : "; dropped"));
                } else if (e instanceof PacketChannel.Incoming.Stray s) {
                    log.accept("gdb: ignored " + s.count() + " byte(s) outside any packet");
                } else if (e instanceof PacketChannel.Incoming.Closed c) {
                    return c.why() + (running != null ? " (the guest keeps running)" : "");
                }
            }
        } catch (IOException e) {
            return "connection lost: " + e.getMessage();
        } finally {
            target.release(kill);
        }
    }

    private void reportStop() throws IOException {
        if (running == null) {
            return;
        }
        GdbTarget.Stop s = target.stopAfter(running);
        if (s != null) {
            running = null;
            registerVcpu = s.vcpu();
            send(stopReply(s, true));
        }
    }

    /** Handles one packet; returns non-null when the connection should end. */
    private String packet(String p, byte[] raw) throws IOException {
        String reply;
        try {
            if (p.isEmpty()) {
                reply = "";
            } else {
                switch (p.charAt(0)) {
                    case 'k' -> {
                        return "killed by gdb (the guest was stopped)";
                    }
                    case 'D' -> {
                        send("OK");
                        return "gdb detached (the guest stays as it is)";
                    }
                    default -> reply = answer(p, raw);
                }
            }
        } catch (ProtocolException | IllegalArgumentException e) {
            log.accept("gdb: " + printable(p.length() > 40 ? p.substring(0, 40) + "…" : p) + ": " + e.getMessage());
            reply = "E01";
        } catch (RuntimeException e) {
            log.accept("gdb: " + printable(p.length() > 40 ? p.substring(0, 40) + "…" : p) + ": " + e);
            reply = "E01";
        }
        if (reply != null) {
            send(reply);
        }
        return null;
    }

    /** The reply to one packet, or null when the reply is a stop that comes later. */
    private String answer(String p, byte[] raw) throws IOException {
        switch (p.charAt(0)) {
            case '?':
                return stopReply(target.lastStop(), false);
            case 'g':
                return registers.all(target.state(registerVcpu));
            case 'G':
                return writeRegisters(p.substring(1));
            case 'p':
                return readRegister(p.substring(1));
            case 'P':
                return writeRegister(p.substring(1));
            case 'm':
                return readMemory(p.substring(1));
            case 'M':
                return writeMemory(p.substring(1), false, raw);
            case 'X':
                return writeMemory(p.substring(1), true, raw);
            case 'Z':
            case 'z':
                return breakpoint(p.charAt(0) == 'Z', p.substring(1));
            case 'H':
                return selectThread(p);
            case 'T':
                return thread(p.substring(1)) >= 0 ? "OK" : "E01";
            case 'c':
                return start(target.resume(false));
            case 's':
                return start(target.step(registerVcpu, false));
            case 'b':
                if (p.equals("bc") || p.equals("bs")) {
                    return start(p.equals("bc") ? target.resume(true) : target.step(registerVcpu, true));
                }
                return "";
            case 'v':
                return vPacket(p);
            case 'q':
            case 'Q':
                return query(p);
            default:
                return "";
        }
    }

    private String start(Object token) throws IOException {
        running = token;
        reportStop();
        return null;
    }

    private String query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            swbreak = p.contains("swbreak+");
            hwbreak = p.contains("hwbreak+");
            return "PacketSize=" + Integer.toHexString(PacketChannel.MAX_PACKET)
                    + ";qXfer:features:read+;vContSupported+;swbreak+;hwbreak+;QStartNoAckMode+"
                    + (target.canReverse() ? ";ReverseStep+;ReverseContinue+" : "");
        }
        if (p.equals("QStartNoAckMode")) {
            send("OK");
            channel.stopAcks();
            return null;
        }
        if (p.startsWith("qXfer:features:read:")) {
            return features(p.substring("qXfer:features:read:".length()));
        }
        if (p.equals("qfThreadInfo")) {
            StringBuilder b = new StringBuilder("m");
            for (int v = 0; v < target.vcpuCount(); v++) {
                b.append(v == 0 ? "" : ",").append(Integer.toHexString(v + 1));
            }
            return b.toString();
        }
        if (p.equals("qsThreadInfo")) {
            return "l";
        }
        if (p.equals("qC")) {
            return "QC" + Integer.toHexString(target.currentVcpu() + 1);
        }
        if (p.startsWith("qAttached")) {
            return "1";   // gdb detaches (never kills) when it quits
        }
        if (p.startsWith("qThreadExtraInfo,")) {
            int v = thread(p.substring("qThreadExtraInfo,".length()));
            if (v < 0) {
                return "E01";
            }
            GuestState s = target.state(v);
            return Hex.text("vCPU " + v + ", " + s.codeBits() + "-bit code");
        }
        if (p.startsWith("qRcmd,")) {
            return Hex.text(monitor(new String(Hex.decode(p, 6), StandardCharsets.UTF_8)));
        }
        if (p.equals("qSymbol::")) {
            return "OK";
        }
        return "";
    }

    private String monitor(String cmd) {
        String c = cmd.strip();
        if (c.isEmpty() || c.equals("help")) {
            return Monitor.HELP;
        }
        if (c.startsWith("phys")) {
            String arg = c.substring(4).strip();
            if (arg.equals("on") || arg.equals("off")) {
                physical = arg.equals("on");
            } else if (!arg.isEmpty()) {
                throw new ProtocolException("monitor phys on|off");
            }
            return "memory addresses are " + (physical ? "guest-physical" : "linear (through the guest's page tables)")
                    + "\n";
        }
        try {
            return target.monitor(c, registerVcpu);
        } catch (ProtocolException | IllegalArgumentException e) {
            return "error: " + e.getMessage() + "\n";
        } catch (RuntimeException e) {
            return "error: " + e + "\n";
        }
    }

    private String features(String args) {
        int colon = args.indexOf(':');
        if (colon < 0 || !args.substring(0, colon).equals("target.xml")) {
            return "E00";
        }
        String[] range = args.substring(colon + 1).split(",");
        if (range.length != 2) {
            throw new ProtocolException("qXfer needs OFFSET,LENGTH");
        }
        long off = Hex.number(range[0]);
        long len = Hex.number(range[1]);
        if (targetXml == null) {
            targetXml = registers.targetXml();
        }
        if (off >= targetXml.length()) {
            return "l";
        }
        int end = (int) Math.min(targetXml.length(), off + Math.min(len, PacketChannel.MAX_PACKET / 2));
        return (end == targetXml.length() ? "l" : "m") + targetXml.substring((int) off, end);
    }

    private String vPacket(String p) throws IOException {
        if (p.equals("vCont?")) {
            return "vCont;c;C;s;S;t";
        }
        if (p.startsWith("vCont;")) {
            return vCont(p.substring(6));
        }
        return "";   // vMustReplyEmpty and everything vmscope does not offer
    }

    /**
     * {@code vCont;s:2;c}: the first step action steps its vCPU alone (the others stay paused, as with
     * scheduler-locking); otherwise a continue runs every vCPU; {@code t} alone stops them.
     */
    private String vCont(String actions) throws IOException {
        Integer step = null;
        boolean cont = false;
        boolean stop = false;
        for (String a : actions.split(";")) {
            String[] kt = a.split(":", 2);
            char k = kt[0].isEmpty() ? '?' : kt[0].charAt(0);
            int v = kt.length > 1 ? thread(kt[1]) : -1;
            switch (k) {
                case 's', 'S' -> {
                    if (step == null) {
                        step = v >= 0 ? v : registerVcpu;
                    }
                }
                case 'c', 'C' -> cont = true;
                case 't' -> stop = true;
                default -> throw new ProtocolException("unknown vCont action '" + a + "'");
            }
        }
        if (step != null) {
            registerVcpu = step;
            return start(target.step(step, false));
        }
        if (cont) {
            return start(target.resume(false));
        }
        if (stop) {
            target.interrupt();
            return "OK";
        }
        throw new ProtocolException("empty vCont");
    }

    /** A thread id: vCPU index + 1; 0 and -1 mean any (the current one). Returns -1 for no such vCPU. */
    private int thread(String id) {
        if (id.equals("-1") || id.equals("0")) {
            return registerVcpu;
        }
        long t = Hex.number(id);
        return t >= 1 && t <= target.vcpuCount() ? (int) t - 1 : -1;
    }

    private String selectThread(String p) {
        if (p.length() < 3) {
            throw new ProtocolException("H needs an operation and a thread");
        }
        int v = thread(p.substring(2));
        if (v < 0) {
            return "E02";
        }
        if (p.charAt(1) == 'g') {
            registerVcpu = v;
        }
        return "OK";
    }

    private String readRegister(String n) {
        RegisterMap.Reg r = registers.get(Hex.number(n));
        StringBuilder b = new StringBuilder();
        RegisterMap.append(b, r, target.state(registerVcpu));
        return b.toString();
    }

    private String writeRegister(String p) {
        int eq = p.indexOf('=');
        if (eq < 0) {
            throw new ProtocolException("P needs N=VALUE");
        }
        RegisterMap.Reg r = registers.get(Hex.number(p.substring(0, eq)));
        if (!r.writable()) {
            throw new ProtocolException(r.name() + " cannot be written (vmscope does not capture it)");
        }
        byte[] v = Hex.decode(p, eq + 1);
        if (v.length != r.bytes()) {
            throw new ProtocolException(r.name() + " takes " + r.bytes() + " bytes");
        }
        long[] words = target.state(registerVcpu).words();
        r.store(words, Hex.littleEndian(v, 0, v.length));
        target.setState(registerVcpu, words);
        return "OK";
    }

    /** G: every writable register whose value gdb changed; the rest of the file is ignored. */
    private String writeRegisters(String hex) {
        if (hex.length() != registers.totalBytes() * 2) {
            throw new ProtocolException("G carries " + registers.totalBytes() + " bytes, not " + hex.length() / 2);
        }
        GuestState now = target.state(registerVcpu);
        long[] words = now.words();
        boolean changed = false;
        int at = 0;
        for (RegisterMap.Reg r : registers.regs()) {
            String h = hex.substring(at, at + r.bytes() * 2);
            at += r.bytes() * 2;
            if (!r.writable() || h.indexOf('x') >= 0) {
                continue;
            }
            byte[] v = Hex.decode(h, 0);
            long value = Hex.littleEndian(v, 0, v.length);
            if (value != r.value(now)) {
                r.store(words, value);
                changed = true;
            }
        }
        if (changed) {
            target.setState(registerVcpu, words);
        }
        return "OK";
    }

    private String readMemory(String args) {
        String[] al = args.split(",");
        if (al.length != 2) {
            throw new ProtocolException("m needs ADDR,LENGTH");
        }
        long addr = Hex.number(al[0]);
        int len = (int) Math.min(Hex.number(al[1]), MAX_MEMORY);
        if (len == 0) {
            return "";
        }
        byte[] b = target.read(registerVcpu, addr, len, physical);
        return Hex.bytes(b, 0, b.length);
    }

    private String writeMemory(String args, boolean binary, byte[] raw) {
        int colon = args.indexOf(':');
        if (colon < 0) {
            throw new ProtocolException("M/X need ADDR,LENGTH:DATA");
        }
        String[] al = args.substring(0, colon).split(",");
        if (al.length != 2) {
            throw new ProtocolException("M/X need ADDR,LENGTH:DATA");
        }
        long addr = Hex.number(al[0]);
        long len = Hex.number(al[1]);
        byte[] data = binary ? PacketChannel.unescape(raw, colon + 2) : Hex.decode(args, colon + 1);
        if (data.length != len) {
            throw new ProtocolException("length " + len + " but " + data.length + " bytes of data");
        }
        if (len > 0) {
            target.write(registerVcpu, addr, data, physical);
        }
        return "OK";
    }

    private String breakpoint(boolean insert, String args) {
        String[] f = args.split(",");
        if (f.length < 3) {
            throw new ProtocolException("Z/z need TYPE,ADDR,KIND");
        }
        GdbTarget.Breakpoint kind = switch (f[0]) {
            case "0" -> GdbTarget.Breakpoint.SOFTWARE;
            case "1" -> GdbTarget.Breakpoint.HARDWARE;
            case "2" -> GdbTarget.Breakpoint.WRITE_WATCH;
            case "3" -> GdbTarget.Breakpoint.READ_WATCH;
            case "4" -> GdbTarget.Breakpoint.ACCESS_WATCH;
            default -> null;
        };
        if (kind == null) {
            return "";
        }
        long addr = Hex.number(f[1]);
        int len = (int) Hex.number(f[2].split(";")[0]);
        String key = f[0] + "," + f[1] + "," + len;
        if (insert) {
            if (!breakpoints.containsKey(key)) {
                breakpoints.put(key, target.insertBreakpoint(kind, addr, len));
            }
        } else {
            Integer id = breakpoints.remove(key);
            if (id != null) {
                target.removeBreakpoint(id);
            }
        }
        return "OK";
    }

    /** The stop reply: {@code T05thread:2;hwbreak:;}, a watch address, {@code T02} for an interrupt, W/X at the end. */
    private String stopReply(GdbTarget.Stop s, boolean afterRun) throws IOException {
        String thread = "thread:" + Integer.toHexString(s.vcpu() + 1) + ";";
        return switch (s.kind()) {
            case STEP, EXIT_BREAK -> "T05" + thread;
            case HW_BREAK -> "T05" + thread + (hwbreak ? "hwbreak:;" : "");
            case SW_BREAK -> "T05" + thread + (swbreak ? "swbreak:;" : "");
            case WATCH -> "T05watch:" + Long.toHexString(s.address()) + ";" + thread;
            case ACCESS_WATCH -> "T05awatch:" + Long.toHexString(s.address()) + ";" + thread;
            case INTERRUPT -> "T02" + thread;
            case HISTORY_END -> "T05" + thread + "replaylog:" + (s.code() < 0 ? "begin" : "end") + ";";
            case EXITED, FAILED -> {
                if (s.message() != null && afterRun) {   // console output may only come while gdb waits
                    send("O" + Hex.text("vmscope: " + s.message() + "\n"));
                }
                yield s.kind() == GdbTarget.Stop.Kind.EXITED ? String.format("W%02x", s.code() & 0xFF) : "X0b";
            }
        };
    }

    private void send(String reply) throws IOException {
        channel.send(reply);
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.toString();
    }
}
