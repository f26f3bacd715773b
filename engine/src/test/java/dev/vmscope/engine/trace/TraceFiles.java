package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** Builds small synthetic traces for tests, and walks a trace's record frames independently of the reader. */
final class TraceFiles {
    private TraceFiles() {
    }

    /** A synthetic recording: the file's bytes and the exits the live store held. */
    record Synthetic(byte[] bytes, List<ExitRecord> exits, ExitStore live) {
    }

    /**
     * Records {@code exits} random exits over {@code vcpus} vCPUs, asking for a seal every {@code sealEvery}
     * exits so the file has many chunks; adds console text, breakpoint hits and an outcome.
     */
    @SuppressWarnings("try")   // the writer records the store while it is open; the body never names it
    static Synthetic synthetic(Path file, long seed, int vcpus, int exits, int sealEvery) throws IOException {
        Random rnd = new Random(seed);
        ExitStore store = new ExitStore(ExitStoreTest.info(vcpus));
        List<ExitRecord> expected = new ArrayList<>();
        try (TraceWriter w = TraceWriter.record(store, file)) {
            CapturedExit[] perVcpu = new CapturedExit[vcpus];
            for (int v = 0; v < vcpus; v++) {
                perVcpu[v] = new CapturedExit();
                perVcpu[v].vcpu = v;
            }
            long time = 0;
            for (int i = 0; i < exits; i++) {
                int v = rnd.nextInt(vcpus);
                CapturedExit e = perVcpu[v];
                time += rnd.nextInt(10_000);
                ExitStoreTest.randomExit(rnd, e, time);
                store.append(e);
                expected.add(e.toRecord());
                if (i % sealEvery == sealEvery - 1) {
                    store.requestSeal();
                }
                if (i % 97 == 0) {
                    store.appendConsole("line " + i + " \u00e9\n");
                }
                if (i % 331 == 0) {
                    store.addHit(new BreakpointHit(e.seq, i % 5, "bp at " + i));
                }
                if (i % 499 == 0) {
                    store.addCodePage(codePage(rnd, i, e.seq));
                }
            }
            for (int v = 0; v < vcpus; v++) {
                store.flush(v);
            }
            store.setOutcome(new Outcome(Outcome.Kind.HALTED, 0, exits - 1, "every vCPU halted"));
        }
        return new Synthetic(Files.readAllBytes(file), expected, store);
    }

    /** Every other page compresses (mostly zeros, like small guests' code) or does not (random bytes). */
    static CodePage codePage(Random rnd, int i, long seq) {
        byte[] b = new byte[CodePage.SIZE];
        if (i % 2 == 0) {
            for (int k = 0; k < 64; k++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt();
            }
        } else {
            rnd.nextBytes(b);
        }
        return new CodePage(i % 3 == 0 ? CodePage.NO_PAGING : 0x1000L * (i % 7), 0x100 + i, seq, b);
    }

    /** Runs a real guest to its end on KVM while recording it to {@code file}; returns the live store. */
    static ExitStore recordGuest(Path file, MachineConfig config) throws Exception {
        KvmTests.requireKvm();
        try (Machine m = Machine.create(config)) {
            TraceWriter w = TraceWriter.record(m.store(), file);
            m.start();
            if (m.awaitOutcome(30, TimeUnit.SECONDS) == null) {
                throw new AssertionError(config.name() + " did not finish in 30 s");
            }
            w.close();
            return m.store();
        }
    }

    /** One record frame as found by walking lengths from the start of an intact file. */
    record Frame(long offset, int type, long end, int exits) {
    }

    /** Walks an intact file's frames by their lengths (no checksums, no reader code). */
    static List<Frame> frames(byte[] b) {
        List<Frame> out = new ArrayList<>();
        int pos = 16;
        while (pos + 16 <= b.length) {
            int type = b[pos + 2] & 0xFF;
            long len = (b[pos + 4] & 0xFFL) | (b[pos + 5] & 0xFFL) << 8 | (b[pos + 6] & 0xFFL) << 16
                    | (b[pos + 7] & 0xFFL) << 24;
            int exits = 0;
            if (type == 2) {   // exits: vcpu, firstSeq, span, count varints
                int p = pos + 16;
                long[] v = new long[4];
                for (int k = 0; k < 4; k++) {
                    long x = 0;
                    for (int shift = 0; ; shift += 7) {
                        int c = b[p++] & 0xFF;
                        x |= (long) (c & 0x7F) << shift;
                        if ((c & 0x80) == 0) {
                            break;
                        }
                    }
                    v[k] = x;
                }
                exits = (int) v[3];
            }
            long end = pos + 16 + len;
            out.add(new Frame(pos, type, end, exits));
            pos = (int) end;
        }
        return out;
    }
}
