package dev.vmscope.app.ui.testing;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.MachineInfo;

import java.util.SplittableRandom;

/**
 * Fills a real {@link ExitStore} with plausible exits for tests that are about layout and for benchmarks:
 * mostly serial-port I/O (out 0x3f8 with text, in 0x3fd status polls), some MMIO, a few MSR accesses and a
 * final HLT per vCPU; RIP and a loop counter change between exits like a real guest's do.
 */
public final class SyntheticExits {
    private SyntheticExits() {
    }

    public static MachineInfo info(String name, int vcpus) {
        return new MachineInfo(name, "00", vcpus, 2 << 20, "real", "fast", "synthetic", "synthetic", 0);
    }

    /** {@code n} exits over {@code vcpus} vCPUs, about {@code meanGapNs} apart. */
    public static ExitStore fill(long n, int vcpus, long meanGapNs, long seed) {
        ExitStore store = new ExitStore(info("synthetic", vcpus));
        SplittableRandom rnd = new SplittableRandom(seed);
        CapturedExit[] per = new CapturedExit[vcpus];
        for (int v = 0; v < vcpus; v++) {
            per[v] = new CapturedExit();
            per[v].vcpu = v;
            long[] s = per[v].state;
            s[StateLayout.RIP] = 0x1000;
            s[StateLayout.RFLAGS] = 0x2;
            s[StateLayout.RSP] = 0xFFF0;
            s[StateLayout.CR0] = 0x10;
            int cs = StateLayout.segmentWord(StateLayout.Segment.CS);
            s[cs + 1] = 0xFFFFL | (0x0BL << 48) | (1L << 56);
            s[cs + 2] = 1L << 16;
        }
        String text = "Hello from a synthetic guest! ";
        long time = 0;
        for (long i = 0; i < n; i++) {
            int v = vcpus == 1 ? 0 : rnd.nextInt(vcpus);
            CapturedExit e = per[v];
            time += 1 + rnd.nextLong(2 * meanGapNs);
            e.timeNs = time;
            e.guestNs = Math.max(1, meanGapNs / 2 + rnd.nextLong(meanGapNs));
            long[] s = e.state;
            s[StateLayout.RCX] = n - i;
            boolean last = i >= n - vcpus;
            int k = rnd.nextInt(100);
            e.ioLength = 0;
            if (last) {
                e.rawReason = KvmExitReason.HLT.code;
                s[StateLayout.RIP] = 0x1020;
            } else if (k < 55) {
                char ch = text.charAt((int) (i % text.length()));
                io(e, true, 0x3F8, (byte) ch);
                s[StateLayout.RAX] = ch;
                s[StateLayout.RIP] = 0x100B;
            } else if (k < 85) {
                io(e, false, 0x3FD, (byte) 0x60);
                s[StateLayout.RAX] = 0x60;
                s[StateLayout.RIP] = 0x1008;
            } else if (k < 95) {
                e.rawReason = KvmExitReason.MMIO.code;
                e.payload[0] = 0x10000 + (i & 0xFF);
                e.payload[1] = 0xAB;
                e.payload[2] = 1L | (1L << 32);
                s[StateLayout.RIP] = 0x1014;
            } else if (k < 98) {
                e.rawReason = KvmExitReason.X86_RDMSR.code;
                e.payload[0] = 0;
                e.payload[1] = 0x10L << 32;
                e.payload[2] = time;
                s[StateLayout.RIP] = 0x1018;
            } else {
                e.rawReason = KvmExitReason.INTR.code;
                s[StateLayout.RIP] = 0x1004;
            }
            store.append(e);
        }
        for (int v = 0; v < vcpus; v++) {
            store.flush(v);
        }
        return store;
    }

    private static void io(CapturedExit e, boolean out, int port, byte value) {
        e.rawReason = KvmExitReason.IO.code;
        e.payload[0] = (out ? 1 : 0) | (1L << 8) | ((long) port << 16) | (1L << 32);
        e.ioData[0] = value;
        e.ioLength = 1;
    }
}
