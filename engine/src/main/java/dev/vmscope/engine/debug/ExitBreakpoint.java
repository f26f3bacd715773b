package dev.vmscope.engine.debug;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Quantities;

import java.util.Locale;
import java.util.Map;

/**
 * A breakpoint on exit reason with conditions on the decoded exit, e.g. {@code IO port=0x3f8 out},
 * {@code MSR index=0x10 write}, {@code MMIO addr=0xd0000000-0xd0000fff}, {@code HLT vcpu=1},
 * {@code IO rip=0x1000-0x10ff hit=3}. Reasons take KVM's names (IO, MMIO, X86_RDMSR, …) or the SDM's
 * (IO_INSTRUCTION, EPT_VIOLATION, MSR_READ, …). {@code hit=N} ignores the first N-1 matches, like gdb's
 * ignore count. Matching reads the captured exit in place: no allocation per exit.
 */
public final class ExitBreakpoint {
    /** SDM basic exit names (and a few shorthands) → the KVM exits that carry them. */
    private static final Map<String, long[]> ALIASES = Map.ofEntries(
            Map.entry("IO_INSTRUCTION", mask(KvmExitReason.IO)),
            Map.entry("EPT_VIOLATION", mask(KvmExitReason.MMIO)),
            Map.entry("EPT_MISCONFIG", mask(KvmExitReason.MMIO)),
            Map.entry("MSR", mask(KvmExitReason.X86_RDMSR, KvmExitReason.X86_WRMSR)),
            Map.entry("MSR_READ", mask(KvmExitReason.X86_RDMSR)),
            Map.entry("MSR_WRITE", mask(KvmExitReason.X86_WRMSR)),
            Map.entry("TRIPLE_FAULT", mask(KvmExitReason.SHUTDOWN)),
            Map.entry("EXCEPTION_NMI", mask(KvmExitReason.DEBUG, KvmExitReason.EXCEPTION)),
            Map.entry("EXTERNAL_INTERRUPT", mask(KvmExitReason.INTR)),
            Map.entry("INVALID_GUEST_STATE", mask(KvmExitReason.FAIL_ENTRY)),
            Map.entry("ANY", new long[]{-1L}));

    private static long[] mask(KvmExitReason... rs) {
        long m = 0;
        for (KvmExitReason r : rs) {
            m |= 1L << r.code;
        }
        return new long[]{m};
    }

    private final int id;
    private final String spec;
    private final long reasons;
    private final long portLo, portHi;
    private final long addrLo, addrHi;
    private final long msrLo, msrHi;
    private final long ripLo, ripHi;
    /** 0 any, 1 in/read, 2 out/write. */
    private final int direction;
    private final int vcpu;
    private final long ignore;
    private volatile boolean enabled = true;
    private long matches;

    private ExitBreakpoint(int id, String spec, long reasons, long[] port, long[] addr, long[] msr, long[] rip,
                           int direction, int vcpu, long hit) {
        this.id = id;
        this.spec = spec;
        this.reasons = reasons;
        this.portLo = port[0];
        this.portHi = port[1];
        this.addrLo = addr[0];
        this.addrHi = addr[1];
        this.msrLo = msr[0];
        this.msrHi = msr[1];
        this.ripLo = rip[0];
        this.ripHi = rip[1];
        this.direction = direction;
        this.vcpu = vcpu;
        this.ignore = Math.max(0, hit - 1);
    }

    /** Parses {@code REASON [key=value | in | out | read | write]...}; errors name the bad word. */
    public static ExitBreakpoint parse(int id, String spec) {
        String[] words = spec.trim().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) {
            throw new GuestConfigException("break exit needs a reason, e.g. 'IO port=0x3f8'");
        }
        long reasons = reasonMask(words[0]);
        long[] any = {Long.MIN_VALUE, Long.MAX_VALUE};
        long[] port = any, addr = any, msr = any, rip = any;
        int direction = 0;
        int vcpu = -1;
        long hit = 1;
        for (int i = 1; i < words.length; i++) {
            String w = words[i].toLowerCase(Locale.ROOT);
            int eq = w.indexOf('=');
            if (eq < 0) {
                direction = switch (w) {
                    case "in", "read", "r" -> 1;
                    case "out", "write", "w" -> 2;
                    default -> throw new GuestConfigException("unknown breakpoint condition '" + words[i]
                            + "' (use key=value, in/out or read/write)");
                };
                continue;
            }
            String key = w.substring(0, eq);
            String value = w.substring(eq + 1);
            switch (key) {
                case "port" -> port = range(value, key);
                case "addr", "address", "gpa" -> addr = range(value, key);
                case "index", "msr" -> msr = range(value, key);
                case "rip" -> rip = range(value, key);
                case "vcpu", "cpu" -> vcpu = (int) Quantities.count(value, key, 0, 255);
                case "hit", "count" -> hit = Quantities.count(value, key, 1, Quantities.MAX_COUNT);
                default -> throw new GuestConfigException("unknown breakpoint condition '" + key
                        + "' (port, addr, index, rip, vcpu, hit)");
            }
        }
        return new ExitBreakpoint(id, spec.trim(), reasons, port, addr, msr, rip, direction, vcpu, hit);
    }

    private static long reasonMask(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        long[] alias = ALIASES.get(n);
        if (alias != null) {
            return alias[0];
        }
        KvmExitReason r = KvmExitReason.byName(n);
        if (r == null || r.code < 0) {
            throw new GuestConfigException("unknown exit reason '" + name + "' (KVM names like IO, MMIO, HLT,"
                    + " SHUTDOWN, RDMSR or SDM names like IO_INSTRUCTION, EPT_VIOLATION, MSR_WRITE)");
        }
        return 1L << r.code;
    }

    /** {@code A} or {@code A-B} (inclusive), hex or decimal. */
    private static long[] range(String v, String key) {
        int dash = v.indexOf('-', 1);
        if (dash < 0) {
            long x = GuestSpec.parseNumber(v, key, null);
            return new long[]{x, x};
        }
        long lo = GuestSpec.parseNumber(v.substring(0, dash), key, null);
        long hi = GuestSpec.parseNumber(v.substring(dash + 1), key, null);
        if (hi < lo) {
            throw new GuestConfigException(key + " range " + v + " is empty");
        }
        return new long[]{lo, hi};
    }

    public int id() {
        return id;
    }

    public String spec() {
        return spec;
    }

    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean on) {
        enabled = on;
    }

    /** How many exits matched so far (counted even while the ignore count holds the stop back). */
    public synchronized long matches() {
        return matches;
    }

    /** True when this exit matches and the ignore count is used up: the vCPU should stop here. */
    boolean shouldStop(CapturedExit e) {
        if (!enabled || !matches(e)) {
            return false;
        }
        synchronized (this) {
            return ++matches > ignore;
        }
    }

    boolean matches(CapturedExit e) {
        int r = e.rawReason;
        return matches(r, e.vcpu, e.rip(), r == KvmExitReason.IO.code ? e.ioPort() : 0,
                r == KvmExitReason.IO.code ? e.ioOut() : e.mmioWrite(), r == KvmExitReason.MMIO.code ? e.mmioAddress() : 0,
                e.msrIndex() & 0xFFFFFFFFL);
    }

    /** Whether recorded exit {@code r} matches, by the same test a live exit gets (the hit count aside). */
    public boolean matches(ExitRecord r) {
        KvmExit x = r.exit();
        long port = x instanceof KvmExit.Io io ? io.port() : 0;
        long addr = x instanceof KvmExit.Mmio m ? m.address() : 0;
        long msr = x instanceof KvmExit.Msr m ? m.index() & 0xFFFFFFFFL : 0;
        boolean outOrWrite = x instanceof KvmExit.Io io ? io.out() : x instanceof KvmExit.Mmio m && m.write();
        return matches(r.reason().code, r.vcpu(), r.state().rip(), port, outOrWrite, addr, msr);
    }

    /** How many matching exits a run lets pass before this breakpoint stops it ({@code hit=N}: N-1). */
    public long ignoreCount() {
        return ignore;
    }

    /** {@code outOrWrite}: I/O out or MMIO write; the payload values count only for their own exit kinds. */
    private boolean matches(int r, int exitVcpu, long rip, long port, boolean outOrWrite, long addr, long msr) {
        if (r < 0 || r >= 64 || (reasons & (1L << r)) == 0) {
            return false;
        }
        if (vcpu >= 0 && exitVcpu != vcpu) {
            return false;
        }
        if (!in(rip, ripLo, ripHi)) {
            return false;
        }
        // a condition on another exit's payload (ANY port=…) rules this exit out
        if (r == KvmExitReason.IO.code) {
            return addrLo == Long.MIN_VALUE && msrLo == Long.MIN_VALUE && in(port, portLo, portHi) && dirOk(outOrWrite);
        }
        if (r == KvmExitReason.MMIO.code) {
            return portLo == Long.MIN_VALUE && msrLo == Long.MIN_VALUE && in(addr, addrLo, addrHi) && dirOk(outOrWrite);
        }
        if (r == KvmExitReason.X86_RDMSR.code || r == KvmExitReason.X86_WRMSR.code) {
            return portLo == Long.MIN_VALUE && addrLo == Long.MIN_VALUE
                    && in(msr, msrLo, msrHi) && dirOk(r == KvmExitReason.X86_WRMSR.code);
        }
        // an exit without a payload (HLT, INTR, DEBUG…) matches only a breakpoint with no payload condition
        return portLo == Long.MIN_VALUE && addrLo == Long.MIN_VALUE && msrLo == Long.MIN_VALUE && direction == 0;
    }

    private boolean dirOk(boolean outOrWrite) {
        return direction == 0 || (direction == 2) == outOrWrite;
    }

    private static boolean in(long v, long lo, long hi) {
        return v >= lo && v <= hi;
    }

    @Override
    public String toString() {
        return "exit " + spec;
    }
}
