package dev.vmscope.engine.trace;

import dev.vmscope.engine.config.GuestConfigException;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.machine.GuestSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Files built to hurt the reader (issue 16, defects 1-3): forged seqs behind damaged bytes, bytes deleted or
 * inserted inside records, traces whose magic is damaged. Every file is built here from a synthetic recording.
 */
class HostileTraceTest {
    @TempDir
    static Path dir;

    private static TraceFiles.Synthetic small;
    private static List<TraceFiles.Frame> frames;
    private static int headerEnd;

    @BeforeAll
    static void record() throws IOException {
        small = TraceFiles.synthetic(dir.resolve("small.vmtrace"), 21, 2, 400, 16);
        frames = TraceFiles.frames(small.bytes());
        headerEnd = (int) frames.get(0).end();
    }

    /** One exit-chunk record for vCPU 0 holding {@code count} exits from seq {@code first} on. */
    private static byte[] forgedChunk(long first, int count) {
        List<Chunk> out = new ArrayList<>();
        ExitEncoder enc = new ExitEncoder(0, out::add);
        CapturedExit e = new CapturedExit();
        Random rnd = new Random(first);
        for (int i = 0; i < count; i++) {
            ExitStoreTest.randomExit(rnd, e, 1000L * i);
            e.vcpu = 0;
            e.seq = first + i;
            enc.append(e);
        }
        enc.seal();
        Chunk c = out.get(0);
        TraceFormat.Payload p = new TraceFormat.Payload().varint(0).varint(c.firstSeq())
                .varint(c.lastSeq() - c.firstSeq()).varint(c.count()).bytes(c.data(), 0, c.data().length);
        byte[] frame = new byte[TraceFormat.FRAME_BYTES];
        TraceFormat.frame(frame, TraceFormat.EXITS, p.n, TraceFormat.crc(p.b, 0, p.n));
        byte[] r = Arrays.copyOf(frame, frame.length + p.n);
        System.arraycopy(p.b, 0, r, frame.length, p.n);
        return r;
    }

    @Test
    void aForgedSeqBehindZerosAllocatesNoMoreThanTheFileHolds() throws IOException {
        // defect 1: a sparse file, a few KiB of it real, whose chunks claim seqs millions past the header
        Path f = dir.resolve("sparse.vmtrace");
        int zeros = 4 << 20;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.write(small.bytes(), 0, headerEnd);
            raf.seek(headerEnd + zeros);                      // a hole: reads as zeros, takes no disk
            raf.write(forgedChunk(600_000, 3));               // a gap the zeros could have held: believed
            raf.write(forgedChunk(3_000_000, 3));             // a gap they could not: refused
        }
        long size = Files.size(f);
        LoadedTrace t = TraceReader.open(f);
        assertThat(t.report().exits()).isEqualTo(3);
        assertThat(t.source().get(600_001)).isNotNull();
        assertThat(t.source().columns().vcpu(300_000)).isEqualTo(ExitColumns.LOST);
        assertThat(t.source().heapBytes()).as("heap for a %,d-byte file", size).isLessThanOrEqualTo(2 * size);
        assertThat(t.report().toText()).contains("lies beyond");
    }

    @Test
    void bytesDeletedOrInsertedInARecordLoseOnlyThatRecord() throws IOException {
        // defect 2: after a damaged record the reader searches for the next frame instead of trusting a length
        byte[] whole = small.bytes();
        long total = frames.stream().mapToLong(TraceFiles.Frame::exits).sum();
        Random rnd = new Random(7);
        int tried = 0;
        for (TraceFiles.Frame fr : frames) {
            if (fr.type() != TraceFormat.EXITS) {
                continue;
            }
            for (int k = 0; k < 3; k++) {
                int at = (int) fr.offset() + TraceFormat.FRAME_BYTES + 6
                        + rnd.nextInt((int) (fr.end() - fr.offset()) - TraceFormat.FRAME_BYTES - 6);
                int n = 1 + rnd.nextInt(3);
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(whole, 0, at);
                if (k == 2) {
                    b.write(new byte[n], 0, n);               // inserted bytes
                    b.write(whole, at, whole.length - at);
                } else {
                    b.write(whole, at + n, whole.length - at - n);   // deleted bytes
                }
                LoadedTrace t = TraceReader.read(b.toByteArray(), TraceReader.Progress.NONE);
                assertThat(t.report().exits()).as("%s %d bytes at %d: %s", k == 2 ? "inserted" : "deleted", n, at,
                        t.report().summary()).isEqualTo(total - fr.exits());
                tried++;
            }
        }
        assertThat(tried).isGreaterThan(30);
    }

    @Test
    void aDamagedOrCutTraceIsStillATraceNeverAGuest() throws IOException {
        // defect 3: one flipped bit in the magic, a file cut inside it, or a trace's name: a trace error
        byte[] whole = small.bytes();
        byte[] flipped = whole.clone();
        flipped[3] ^= 0x04;
        Path bad = Files.write(dir.resolve("flipped.bin"), flipped);
        Path cut = Files.write(dir.resolve("cut.bin"), Arrays.copyOf(whole, 5));
        byte[] noPrefix = whole.clone();
        Arrays.fill(noPrefix, 0, 16, (byte) 0x90);
        Path prefixGone = Files.write(dir.resolve("prefix.bin"), noPrefix);
        Path named = Files.write(dir.resolve("text.vmtrace"), "just text".getBytes());
        Path image = Files.write(dir.resolve("guest.bin"), new byte[] {(byte) 0xF4, (byte) 0x90, 0x66, 0x55});
        for (Path p : List.of(bad, cut, prefixGone, named)) {
            assertThat(TraceReader.looksLikeTrace(p)).as(p.toString()).isTrue();
            assertThatThrownBy(() -> TraceReader.open(p)).as(p.toString()).isInstanceOf(TraceFormatException.class);
            assertThatThrownBy(() -> GuestSpec.resolve(p)).isInstanceOf(GuestConfigException.class)
                    .hasMessageContaining("is a vmscope trace, not a guest");
        }
        assertThat(TraceReader.looksLikeTrace(image)).isFalse();
        assertThat(TraceReader.looksLikeTrace(dir.resolve("small.vmtrace"))).isTrue();
    }
}
