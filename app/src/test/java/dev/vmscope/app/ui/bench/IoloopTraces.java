package dev.vmscope.app.ui.bench;

import dev.vmscope.app.ui.testing.SyntheticExits;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.exit.StateLayout;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.trace.CodePage;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.Outcome;
import dev.vmscope.engine.trace.TraceWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * The trace an ioloop run ({@code mov ecx,N; l: out 0x80,al; dec ecx; jnz l; hlt}, one vCPU, real mode) gives,
 * written without KVM through the real store and writer: N OUTs to port 0x80 with RCX counting down, times
 * and guest times around the ones a real run shows (about 8 µs apart), then one HLT. Files are kept under
 * {@code dir} and reused by later runs (10M exits take a while to write).
 */
public final class IoloopTraces {
    private IoloopTraces() {
    }

    @SuppressWarnings("try")   // the writer records the store while it is open; the body never names it
    public static Path get(long exits, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("ioloop-" + exits + "-v2.vmtrace");
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return file;
        }
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        ExitStore store = new ExitStore(SyntheticExits.info("ioloop", 1));
        CapturedExit e = new CapturedExit();
        long[] s = e.state;
        s[StateLayout.RIP] = 0x1006;
        s[StateLayout.RFLAGS] = 0x2;
        s[StateLayout.RCX] = exits - 1;
        s[StateLayout.CR0] = 0x60000010L;
        int cs = StateLayout.segmentWord(StateLayout.Segment.CS);
        s[cs + 1] = 0xFFFFL | (0x0BL << 48) | (1L << 56);
        s[cs + 2] = 1L << 16;
        SplittableRandom rnd = new SplittableRandom(1);
        try (TraceWriter w = TraceWriter.record(store, tmp)) {
            long time = 50_000;
            for (long i = 0; i < exits; i++) {
                boolean last = i == exits - 1;
                e.rawReason = last ? KvmExitReason.HLT.code : KvmExitReason.IO.code;
                if (!last) {
                    e.payload[0] = 1 | (1L << 8) | (0x80L << 16) | (1L << 32);
                    e.ioData[0] = (byte) i;
                    e.ioLength = 1;
                    s[StateLayout.RAX] = i & 0xFF;
                } else {
                    e.ioLength = 0;
                    s[StateLayout.RIP] = 0x100D;
                }
                e.guestNs = 2_500 + rnd.nextInt(1_500) + (rnd.nextInt(1000) == 0 ? rnd.nextInt(200_000) : 0);
                time += e.guestNs + 4_000 + rnd.nextInt(1_000);
                e.timeNs = time;
                s[StateLayout.RCX] = exits - 1 - i;
                store.append(e);
                if (i == 0) {
                    store.addCodePage(new CodePage(CodePage.NO_PAGING, 1, 0, code(exits)));
                }
            }
            store.flush(0);
            store.setOutcome(new Outcome(Outcome.Kind.HALTED, 0, exits - 1, "every vCPU halted"));
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The page at 0x1000 the guest runs from: the loop above, loaded at its start. */
    private static byte[] code(long exits) {
        byte[] page = new byte[CodePage.SIZE];
        byte[] loop = HexFormat.of().parseHex("66B900000000E680664975FAF4");
        for (int i = 0; i < 4; i++) {
            loop[2 + i] = (byte) ((exits - 1) >>> (8 * i));
        }
        System.arraycopy(loop, 0, page, 0, loop.length);
        return page;
    }
}
