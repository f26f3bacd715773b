package dev.vmscope.engine.trace;

import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.exit.ExitRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/** The file format without KVM: round trip of a synthetic run, and a reader that survives any damage. */
class TraceFileTest {
    @TempDir
    static Path dir;

    /** A small multi-vCPU trace with many chunks: the subject of the cut and mutation tests. */
    private static TraceFiles.Synthetic small;
    private static List<TraceFiles.Frame> frames;
    private static long headerEnd;

    @BeforeAll
    static void recordSmallTrace() throws IOException {
        small = TraceFiles.synthetic(dir.resolve("small.vmtrace"), 11, 2, 200, 16);
        frames = TraceFiles.frames(small.bytes());
        headerEnd = frames.get(0).end();
        assertThat(frames.get(0).type()).isEqualTo(1);
        assertThat(frames.get(frames.size() - 1).type()).isEqualTo(6);
        assertThat(frames.stream().filter(f -> f.type() == 2).count()).as("exit chunks").isGreaterThan(10);
    }

    @Test
    void syntheticRunReadsBackExactly() throws IOException {
        Path f = dir.resolve("big.vmtrace");
        TraceFiles.Synthetic s = TraceFiles.synthetic(f, 3, 3, 20_000, 1_500);
        LoadedTrace t = TraceReader.open(f);
        assertThat(t.report().isClean()).as(t.report().toText()).isTrue();
        ExitStore r = t.source();
        assertThat(r.machine()).isEqualTo(s.live().machine());
        assertThat(r.size()).isEqualTo(20_000);
        List<ExitRecord> scanned = new ArrayList<>();
        r.scan(0, r.size(), scanned::add);
        assertThat(scanned).isEqualTo(s.exits());
        for (long seq = 0; seq < r.size(); seq += 37) {
            assertThat(r.get(seq)).isEqualTo(s.exits().get((int) seq));
            assertThat(r.columns().timeNs(seq)).isEqualTo(s.live().columns().timeNs(seq));
            assertThat(r.columns().vcpu(seq)).isEqualTo(s.live().columns().vcpu(seq));
            assertThat(r.columns().reasonCode(seq)).isEqualTo(s.live().columns().reasonCode(seq));
        }
        assertThat(r.console()).isEqualTo(s.live().console());
        assertThat(r.breakpointHits()).isEqualTo(s.live().breakpointHits()).isNotEmpty();
        assertThat(r.outcome()).isEqualTo(s.live().outcome());
        assertSameCodePages(r.codePages(), s.live().codePages());
        assertThat(t.report().exits()).isEqualTo(20_000);
        assertThat(t.report().expectedExits()).isEqualTo(20_000);
        assertThat(t.report().largestAllocation()).isLessThan(Files.size(f));
    }

    static void assertSameCodePages(CodePages read, CodePages live) {
        assertThat(read.size()).isEqualTo(live.size()).isPositive();
        List<CodePage> a = read.all();
        List<CodePage> b = live.all();
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).space()).isEqualTo(b.get(i).space());
            assertThat(a.get(i).linearPage()).isEqualTo(b.get(i).linearPage());
            assertThat(a.get(i).seq()).isEqualTo(b.get(i).seq());
            assertThat(a.get(i).bytes()).as("page %d", i).isEqualTo(b.get(i).bytes());
        }
    }

    @Test
    void aCodePageThatDoesNotInflateToOnePageIsReportedAndTheRestKept() throws IOException {
        // a well-framed code record (its checksums are right) whose deflated bytes make 100 bytes, not a page
        java.util.zip.Deflater d = new java.util.zip.Deflater();
        d.setInput(new byte[100]);
        d.finish();
        byte[] packed = new byte[200];
        int n = d.deflate(packed);
        d.end();
        TraceFormat.Payload p = new TraceFormat.Payload().svarint(CodePage.NO_PAGING).varint(1).varint(0)
                .varint(TraceFormat.CODE_DEFLATE).bytes(packed, 0, n);
        byte[] frame = new byte[TraceFormat.FRAME_BYTES];
        TraceFormat.frame(frame, TraceFormat.CODE, p.n, TraceFormat.crc(p.b, 0, p.n));
        TraceFiles.Frame end = frames.get(frames.size() - 1);
        byte[] b = small.bytes();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(b, 0, (int) end.offset());
        out.write(frame);
        out.write(p.b, 0, p.n);
        out.write(b, (int) end.offset(), (int) (b.length - end.offset()));
        Path f = dir.resolve("bad-code.vmtrace");
        Files.write(f, out.toByteArray());

        LoadedTrace t = TraceReader.open(f);
        assertThat(t.report().isClean()).isFalse();
        assertThat(t.report().toText()).contains("code page").contains("inflates to 100 bytes");
        assertThat(t.source().size()).isEqualTo(small.exits().size());
        assertSameCodePages(t.source().codePages(), small.live().codePages());
    }

    @Test
    void writerMustBeAttachedBeforeTheFirstExit() {
        ExitStore store = new ExitStore(ExitStoreTest.info(1));
        store.append(new CapturedExit());
        assertThatThrownBy(() -> TraceWriter.record(store, dir.resolve("late.vmtrace")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before the run starts");
    }

    @Test
    void progressRisesToOneAndCancelStops() throws IOException {
        List<Double> seen = new ArrayList<>();
        TraceReader.read(small.bytes(), seen::add);
        assertThat(seen).isSorted().last().isEqualTo(1.0);
        assertThat(seen.size()).isGreaterThan(2);
        TraceReader.Progress cancelAtOnce = new TraceReader.Progress() {
            @Override
            public void progress(double fraction) {
            }

            @Override
            public boolean cancelled() {
                return true;
            }
        };
        assertThatThrownBy(() -> TraceReader.read(small.bytes(), cancelAtOnce))
                .isInstanceOf(CancellationException.class);
    }

    @Test
    void notATraceIsAClearError() {
        assertThatThrownBy(() -> TraceReader.read("hello, world, this is text".getBytes(), TraceReader.Progress.NONE))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("not a vmscope trace");
        assertThatThrownBy(() -> TraceReader.read(new byte[3], TraceReader.Progress.NONE))
                .isInstanceOf(TraceFormatException.class).hasMessageContaining("3 bytes");
    }

    @Test
    void aFileCutAnywhereKeepsEveryChunkBeforeTheCut() {
        Random rnd = new Random(1_000);
        byte[] whole = small.bytes();
        for (int i = 0; i < 1_000; i++) {
            int cut = rnd.nextInt(whole.length);
            byte[] b = java.util.Arrays.copyOf(whole, cut);
            if (cut < headerEnd) {
                assertThatThrownBy(() -> TraceReader.read(b, TraceReader.Progress.NONE))
                        .as("cut at %d", cut).isInstanceOf(TraceFormatException.class);
                continue;
            }
            LoadedTrace t = read(b, "cut at " + cut);
            long before = frames.stream().filter(f -> f.end() <= cut).mapToLong(TraceFiles.Frame::exits).sum();
            assertThat(t.report().exits()).as("exits recovered, cut at %d", cut).isEqualTo(before);
            assertThat(t.report().ended()).isFalse();
            assertThat(t.report().largestAllocation()).isLessThanOrEqualTo(cut);
            checkRecoveredExits(t, "cut at " + cut);
        }
    }

    @Test
    void aMutatedFileNeverCrashesTheReaderAndKeepsEveryIntactChunk() {
        Random rnd = new Random(10_000);
        byte[] whole = small.bytes();
        int unreadable = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] b = whole.clone();
            int n = 1 + rnd.nextInt(4);
            int[] at = new int[n];
            for (int k = 0; k < n; k++) {
                at[k] = rnd.nextInt(b.length);
                byte old = b[at[k]];
                b[at[k]] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (old ^ (1 << rnd.nextInt(8)));
                if (b[at[k]] == old) {
                    b[at[k]] ^= 0x40;
                }
            }
            String what = "mutation " + i + " at " + java.util.Arrays.toString(at);
            boolean headerHit = java.util.Arrays.stream(at).anyMatch(p -> p < headerEnd);
            LoadedTrace t;
            try {
                t = TraceReader.read(b, TraceReader.Progress.NONE);
            } catch (TraceFormatException e) {
                assertThat(headerHit).as("%s: %s", what, e.getMessage()).isTrue();
                unreadable++;
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError(what + " crashed the reader", e);
            }
            assertThat(headerHit).as("%s opened although the header was hit", what).isFalse();
            long intact = frames.stream()
                    .filter(f -> java.util.Arrays.stream(at).noneMatch(p -> p >= f.offset() && p < f.end()))
                    .mapToLong(TraceFiles.Frame::exits).sum();
            assertThat(t.report().exits()).as("%s: %s", what, t.report().summary()).isGreaterThanOrEqualTo(intact);
            assertThat(t.report().isClean()).as(what).isFalse();
            assertThat(t.report().largestAllocation()).isLessThanOrEqualTo(b.length);
            if (i % 20 == 0) {   // checksums already vouch for content; decode and compare a sample to be sure
                checkRecoveredExits(t, what);
            }
        }
        assertThat(unreadable).as("mutations that hit the prefix or header").isPositive().isLessThan(2_000);
    }

    private static LoadedTrace read(byte[] b, String what) {
        try {
            return TraceReader.read(b, TraceReader.Progress.NONE);
        } catch (TraceFormatException | RuntimeException e) {
            return fail(what + ": " + e, e);
        }
    }

    /** Every exit the reader kept is exactly the one recorded; lost ones read as LOST and null. */
    private static void checkRecoveredExits(LoadedTrace t, String what) {
        ExitStore s = t.source();
        long[] found = {0};
        s.scan(0, s.size(), r -> {
            if (!r.equals(small.exits().get((int) r.seq()))) {   // plain equals: AssertJ per exit is slow here
                fail(what + ": exit " + r.seq() + " differs from the one recorded");
            }
            found[0]++;
        });
        assertThat(found[0]).as(what).isEqualTo(t.report().exits());
        assertThat(s.size() - found[0] + (t.report().expectedExits() > s.size()
                ? t.report().expectedExits() - s.size() : 0)).isEqualTo(t.report().lostExits());
        for (LoadReport.SeqRange r : t.report().lostSeqRanges()) {
            if (r.from() < s.size()) {
                assertThat(s.columns().vcpu(r.from())).isEqualTo(ExitColumns.LOST);
                assertThat(s.get(r.from())).isNull();
            }
        }
    }
}
