package dev.vmscope.engine.trace;

import dev.vmscope.engine.symbols.SymbolTable;
import dev.vmscope.engine.exit.CapturedExit;
import dev.vmscope.engine.kernel.KernelEventStore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.zip.CRC32C;
import java.util.zip.Inflater;

/**
 * Opens a {@code .vmtrace} file into an {@link ExitStore}, with no KVM involved.
 *
 * <p>Nothing in the file is trusted: every length and count is checked against the bytes that are really
 * there before anything is allocated, every record's checksum is verified, and every exit chunk is decoded
 * and checked (seq order, counts, times) before it is accepted. Damage does not stop the reader: a record
 * whose payload fails its checksum may have lost or gained bytes, so the reader searches for the next intact
 * record frame from the byte after its start, as it does after bytes that are no record at all; a record
 * that is intact but fails validation is skipped by its length; a record cut off by the end of the file
 * ends the read. What a file can make the reader allocate is bounded by the file's size, never by a number
 * it claims: lost exits cost no memory, and a seq gap is believed only as far as the bytes lost could have
 * held exits. What was skipped and which exits are missing is listed in the {@link LoadReport}. The rules are in
 * {@code docs/vmtrace-format.md}, "Reading and recovery".
 */
public final class TraceReader {
    /**
     * True when {@code file} is to be read as a trace, not run as a guest: its name ends in {@code .vmtrace},
     * or its bytes look like a trace, even a damaged one (the magic with a byte or two changed, a file cut
     * inside the magic, or an intact record frame right after the prefix). Running a damaged trace as a flat
     * image would execute data; reading it gives a trace error that says what is wrong.
     */
    public static boolean looksLikeTrace(Path file) {
        if (file.getFileName() != null
                && file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".vmtrace")) {
            return true;
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        byte[] b;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            b = in.readNBytes(TraceFormat.PREFIX_BYTES + TraceFormat.FRAME_BYTES);
        } catch (IOException e) {
            return false;
        }
        if (b.length > 0 && b.length < TraceFormat.MAGIC.length) {
            return Arrays.equals(b, 0, b.length, TraceFormat.MAGIC, 0, b.length);
        }
        int differ = 0;
        for (int i = 0; i < TraceFormat.MAGIC.length && i < b.length; i++) {
            differ += b[i] == TraceFormat.MAGIC[i] ? 0 : 1;
        }
        return b.length >= TraceFormat.MAGIC.length && differ <= 2
                || b.length == TraceFormat.PREFIX_BYTES + TraceFormat.FRAME_BYTES
                && TraceFormat.isFrame(b, TraceFormat.PREFIX_BYTES);
    }

    /** Told how far opening has got; asked whether to give up. Called on the opening thread. */
    public interface Progress {
        Progress NONE = fraction -> {
        };

        /** {@code fraction} of the file read, 0 to 1; called at most about 200 times. */
        void progress(double fraction);

        /** Return true to stop: opening then throws {@link CancellationException}. */
        default boolean cancelled() {
            return false;
        }

        /**
         * Called once, as soon as {@code store} holds the first exits of a file of 2 MiB or more: it may be shown
         * from then on. It grows as a live run's store does, a prefix without gaps at a time, until {@code open}
         * returns; kernel events, lost ranges and the load report come only with the end of the read. Not called
         * for a smaller file (read whole in milliseconds) or one with no exits.
         */
        default void readable(ExitStore store) {
        }
    }

    /** Where the bytes come from: a file or an array. */
    private interface Input {
        long size() throws IOException;

        /** Reads up to {@code len} bytes at {@code pos}; returns how many (fewer only at the end). */
        int read(long pos, byte[] dst, int off, int len) throws IOException;
    }

    /** Exits read between two publications of the store's prefix (and its hand-over after the first chunk). */
    private static final long PUBLISH_EVERY = 1 << 16;
    /**
     * Files smaller than this are read whole before their store is handed over: they take milliseconds, and a
     * run that shows complete from its first frame is simpler for everyone looking at it.
     */
    static final long EARLY_HAND_OVER_BYTES = 2 << 20;
    /** The largest gap in seq numbers an exit chunk may leave, per vCPU, beyond bytes the file lost. */
    private static final long GAP_PER_VCPU = ExitEncoder.MAX_EXITS_PER_CHUNK + 1;
    /** Seqs above this are never real (2^48 exits would take years). */
    private static final long MAX_SEQ = 1L << 48;
    private static final int SCAN_BLOCK = 64 * 1024;
    /**
     * The fewest bytes one exit takes in a chunk (reason, seq delta, time delta, guest time and the two
     * state masks are varints of at least a byte each): damaged bytes can have held at most this many exits.
     */
    static final int MIN_EXIT_BYTES = 6;
    /** Longest possible exit-chunk payload prefix: five varints. */
    private static final int EXITS_PREFIX_MAX = 50;

    private final Input in;
    private final String name;
    private final Progress progress;
    private final long size;
    private final byte[] frame = new byte[TraceFormat.FRAME_BYTES];
    private final byte[] head = new byte[EXITS_PREFIX_MAX];
    private final CRC32C crc = new CRC32C();
    private final CapturedExit scratch = new CapturedExit();
    private KernelEventStore kernel;   // from the kernel records, if the trace has them
    private long[] seqs = new long[0];
    private long[] times = new long[0];
    private int[] reasons = new int[0];

    private ExitStore store;
    private int vcpus;
    private long[] lastSeqOf;
    private long maxSeq = -1;
    private long acceptedExits;
    private long exitChunks;
    private long records;
    private long damagedBytes;
    private long largestAllocation;
    private boolean ended;
    private long expectedExits = -1;
    /**
     * Exits other records prove the run had stored (a console record's position, a breakpoint hit's, an
     * outcome's or a code page's seq): without an end record, the only evidence of a tail never written.
     */
    private long provenExits;
    private long endExitsWritten = -1;
    private long endExitChunks = -1;
    private final List<LoadReport.Loss> losses = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private double reported = -1;
    /** Exits accepted when the prefix was last published; whether the store was handed over yet. */
    private long acceptedAtPublish;
    private boolean handedOver;
    /** Times raised so far by the publishing of prefixes (see {@link ColumnStore#publish}). */
    private long raisedTimes;

    private TraceReader(Input in, String name, Progress progress) throws IOException {
        this.in = in;
        this.name = name;
        this.progress = progress;
        this.size = in.size();
    }

    public static LoadedTrace open(Path file) throws IOException {
        return open(file, Progress.NONE);
    }

    /**
     * Opens {@code file}. Throws {@link TraceFormatException} when it is no readable trace at all,
     * {@link CancellationException} when {@code progress} asks to stop or the thread is interrupted.
     */
    public static LoadedTrace open(Path file, Progress progress) throws IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {   // a FIFO would block the open, a device never end
            throw new TraceFormatException(file + " is not a regular file" + (java.nio.file.Files.isDirectory(file)
                    ? " but a directory" : " (a FIFO or device is no trace)"));
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Input input = new Input() {
                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public int read(long pos, byte[] dst, int off, int len) throws IOException {
                    ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
                    while (bb.hasRemaining()) {
                        int n = ch.read(bb, pos + bb.position() - off);
                        if (n < 0) {
                            break;
                        }
                    }
                    return bb.position() - off;
                }
            };
            return new TraceReader(input, file.toString(), progress).read();
        }
    }

    /** Reads a trace held in memory (a bundled resource, a test). */
    public static LoadedTrace read(byte[] bytes, Progress progress) throws TraceFormatException {
        Input input = new Input() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public int read(long pos, byte[] dst, int off, int len) {
                int n = (int) Math.max(0, Math.min(len, bytes.length - pos));
                System.arraycopy(bytes, (int) pos, dst, off, n);
                return n;
            }
        };
        try {
            return new TraceReader(input, "trace", progress).read();
        } catch (TraceFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("reading an array cannot fail", e);
        }
    }

    // ---- the read ----

    private LoadedTrace read() throws IOException {
        long pos = readPrefixAndHeader();
        while (pos < size) {
            checkCancelled();
            report(pos);
            if (size - pos < TraceFormat.FRAME_BYTES) {
                lose(pos, size - pos, null, "the end of the file cuts a record's frame short");
                break;
            }
            readFully(pos, frame, TraceFormat.FRAME_BYTES);
            if (!TraceFormat.isFrame(frame, 0)) {
                long next = findFrame(pos + 1);
                if (next < 0) {
                    damaged(pos, size - pos, null, "no intact record frame from here to the end of the file");
                    break;
                }
                damaged(pos, next - pos, null, "bytes that are not an intact record frame");
                pos = next;
                continue;
            }
            int type = frame[2] & 0xFF;
            long length = TraceFormat.u32(frame, 4) & 0xFFFFFFFFL;
            long end = pos + TraceFormat.FRAME_BYTES + length;
            if (end > size) {
                lose(pos, size - pos, TraceFormat.typeName(type), String.format(
                        "record of %,d bytes cut short by the end of the file", length));
                break;
            }
            try {
                readRecord(pos, type, (int) length);
                records++;
            } catch (PayloadDamaged e) {
                // bytes inside may be gone or added: the length is no guide to the next record, search for it
                long next = findFrame(pos + 1);
                long until = next < 0 ? size : next;
                damaged(pos, until - pos, TraceFormat.typeName(type), e.getMessage());
                if (next < 0) {
                    break;
                }
                pos = next;
                continue;
            } catch (CorruptDataException e) {
                damaged(pos, end - pos, TraceFormat.typeName(type), e.getMessage());
            }
            pos = end;
            if (ended) {
                if (pos < size) {
                    notes.add(String.format("%,d bytes after the end record were ignored", size - pos));
                }
                break;
            }
        }
        return finish();
    }

    private long readPrefixAndHeader() throws IOException {
        if (size < TraceFormat.PREFIX_BYTES) {
            throw new TraceFormatException(name + " is not a vmscope trace: only " + size + " bytes long");
        }
        byte[] p = new byte[TraceFormat.PREFIX_BYTES];
        readFully(0, p, p.length);
        if (!Arrays.equals(p, 0, 8, TraceFormat.MAGIC, 0, 8)) {
            throw new TraceFormatException(name + " is not a vmscope trace (it does not start with \\x89VMTRACE)");
        }
        if (TraceFormat.crc(p, 0, 12) != TraceFormat.u32(p, 12)) {
            throw new TraceFormatException(name + ": the file prefix is damaged (checksum mismatch)");
        }
        int major = TraceFormat.u16(p, 8);
        int minor = TraceFormat.u16(p, 10);
        if (major != TraceFormat.MAJOR) {
            throw new TraceFormatException(String.format("%s uses trace format %d.%d; this vmscope reads %d.x",
                    name, major, minor, TraceFormat.MAJOR));
        }
        long pos = TraceFormat.PREFIX_BYTES;
        if (size - pos < TraceFormat.FRAME_BYTES) {
            throw new TraceFormatException(name + ": the header record is missing (the file ends after "
                    + size + " bytes)");
        }
        readFully(pos, frame, TraceFormat.FRAME_BYTES);
        if (!TraceFormat.isFrame(frame, 0) || (frame[2] & 0xFF) != TraceFormat.HEADER) {
            throw new TraceFormatException(name + ": the header record is damaged");
        }
        long length = TraceFormat.u32(frame, 4) & 0xFFFFFFFFL;
        if (pos + TraceFormat.FRAME_BYTES + length > size) {
            throw new TraceFormatException(name + ": the header record is cut short by the end of the file");
        }
        try {
            byte[] b = payload(pos, (int) length);
            TraceFormat.Fields f = new TraceFormat.Fields(b, 0, b.length);
            String guest = f.string();
            String sha = f.string();
            vcpus = (int) f.varint("vCPU count", 1, ExitColumns.LOST - 1);
            long memory = f.varint("memory size", 0, Long.MAX_VALUE);
            MachineInfo m = new MachineInfo(guest, sha, vcpus, memory, f.string(), f.string(), f.string(),
                    f.string(), f.svarint());
            store = new ExitStore(m);
        } catch (CorruptDataException e) {
            throw new TraceFormatException(name + ": the header record is damaged: " + e.getMessage());
        }
        lastSeqOf = new long[vcpus];
        Arrays.fill(lastSeqOf, -1);
        records++;
        return pos + TraceFormat.FRAME_BYTES + length;
    }

    /** A symbols record: every count and length checked against the payload's own size. */
    private static SymbolTable symbols(TraceFormat.Fields f, int length) {
        long n = f.varint("symbol count", 0, length / 3);
        List<SymbolTable.Symbol> list = new ArrayList<>((int) n);
        long address = 0;
        for (long i = 0; i < n; i++) {
            address += f.varint();
            long size = f.varint();
            list.add(new SymbolTable.Symbol(f.string(), address, size));
        }
        return SymbolTable.of(list);
    }

    private void readRecord(long pos, int type, int length) throws IOException {
        if (type == TraceFormat.EXITS) {
            readExits(pos, length);
            return;
        }
        byte[] b = payload(pos, length);
        TraceFormat.Fields f = new TraceFormat.Fields(b, 0, b.length);
        switch (type) {
            case TraceFormat.HEADER -> throw new CorruptDataException("a second header record");
            case TraceFormat.CONSOLE -> {
                long position = f.varint("console position", 0, MAX_SEQ);
                store.appendConsole(f.string());
                proven(position);
            }
            case TraceFormat.BREAKPOINT -> {
                long seq = f.varint("breakpoint seq", 0, MAX_SEQ);
                long id = f.svarint();
                store.addHit(new BreakpointHit(seq, (int) id, f.string()));
                proven(seq + 1);
            }
            case TraceFormat.OUTCOME -> {
                String kind = f.string();
                Outcome.Kind k;
                try {
                    k = Outcome.Kind.valueOf(kind);
                } catch (IllegalArgumentException e) {
                    throw new CorruptDataException("unknown outcome kind '" + kind + "'");
                }
                int status = (int) f.svarint();
                long atSeq = f.svarint();
                store.setOutcome(new Outcome(k, status, atSeq, f.string()));
                proven(Math.min(atSeq, MAX_SEQ) + 1);
            }
            case TraceFormat.CODE -> {
                CodePage page = codePage(f, b);
                store.addCodePage(page);
                proven(page.seq() + 1);
            }
            case TraceFormat.SYMBOLS -> store.setSymbols(symbols(f, b.length));
            case TraceFormat.KERNEL_FORMATS -> {
                if (kernel != null) {
                    throw new CorruptDataException("a second kernel formats record");
                }
                kernel = KernelRecords.readFormats(f, vcpus, b);
            }
            case TraceFormat.KERNEL_EVENTS -> {
                if (kernel == null || kernel.formats() == null) {
                    throw new CorruptDataException("kernel events without their formats");
                }
                String gap = KernelRecords.readEvents(f, b, kernel);
                if (gap != null) {
                    notes.add(gap);
                }
            }
            case TraceFormat.END -> {
                expectedExits = f.varint("exit total", 0, MAX_SEQ);
                endExitsWritten = f.varint("exits written", 0, MAX_SEQ);
                endExitChunks = f.varint("chunks written", 0, MAX_SEQ);
                f.varint();
                ended = true;
            }
            default -> notes.add(String.format("skipped a record of unknown type %d (%,d bytes) at offset %,d",
                    type, length, pos));
        }
    }

    /** A code-page record: its page must come out at exactly {@link CodePage#SIZE} bytes. */
    private static CodePage codePage(TraceFormat.Fields f, byte[] b) {
        long space = f.svarint();
        long page = f.varint("code page", 0, (1L << 52) - 1);
        long seq = f.varint("code page seq", 0, MAX_SEQ);
        long encoding = f.varint("code page encoding", TraceFormat.CODE_RAW, TraceFormat.CODE_DEFLATE);
        int len = (int) f.varint("code page length", 0, b.length - f.position());
        int at = f.position();
        byte[] bytes = new byte[CodePage.SIZE];
        if (encoding == TraceFormat.CODE_RAW) {
            if (len != CodePage.SIZE) {
                throw new CorruptDataException("a raw code page of " + len + " bytes");
            }
            System.arraycopy(b, at, bytes, 0, len);
        } else {
            Inflater inf = new Inflater();
            try {
                inf.setInput(b, at, len);
                int n = inf.inflate(bytes);
                if (n != CodePage.SIZE || !inf.finished()) {
                    throw new CorruptDataException("a code page that inflates to " + n + (inf.finished() ? "" : "+")
                            + " bytes instead of " + CodePage.SIZE);
                }
            } catch (java.util.zip.DataFormatException e) {
                throw new CorruptDataException("a code page that does not inflate: " + e.getMessage());
            } finally {
                inf.end();
            }
        }
        return new CodePage(space, page, seq, bytes);
    }

    /** Reads, checks and decodes one exit chunk; accepts it only if all of it is sound. */
    private void readExits(long pos, int length) throws IOException {
        long at = pos + TraceFormat.FRAME_BYTES;
        int headLen = Math.min(length, EXITS_PREFIX_MAX);
        readFully(at, head, headLen);
        TraceFormat.Fields f = new TraceFormat.Fields(head, 0, headLen);
        int vcpu = (int) f.varint("vCPU", 0, vcpus - 1);
        long first = f.varint("first seq", 0, MAX_SEQ);
        long last = first + f.varint("seq span", 0, MAX_SEQ);
        int count = (int) f.varint("exit count", 1, TraceFormat.MAX_CHUNK_EXITS);
        int prefixLen = f.position();
        int dataLen = (int) f.varint("data length", 0, length - prefixLen);
        prefixLen = f.position();
        if (dataLen > length - prefixLen) {
            throw new CorruptDataException("data length " + dataLen + " exceeds the record");
        }
        allocated(dataLen);
        byte[] data = new byte[dataLen];
        readFully(at + prefixLen, data, dataLen);
        crc.reset();
        crc.update(head, 0, prefixLen);
        crc.update(data, 0, dataLen);
        int trailing = length - prefixLen - dataLen;
        if (trailing > 0) {
            allocated(trailing);
            byte[] t = new byte[trailing];
            readFully(at + prefixLen + dataLen, t, trailing);
            crc.update(t, 0, trailing);
        }
        if ((int) crc.getValue() != TraceFormat.u32(frame, 8)) {
            throw new PayloadDamaged();
        }
        // the checksum holds: what follows guards against files vmscope did not write
        if (count > last - first + 1) {
            throw new CorruptDataException(count + " exits cannot fit seqs " + first + "-" + last);
        }
        long bound = acceptedExits + count + GAP_PER_VCPU * vcpus + damagedBytes / MIN_EXIT_BYTES;
        if (last >= bound) {
            throw new CorruptDataException("seq " + last + " lies beyond anything the file accounts for (< "
                    + bound + ")");
        }
        if (first <= lastSeqOf[vcpu]) {
            throw new CorruptDataException("seqs " + first + "-" + last + " overlap vCPU " + vcpu
                    + "'s earlier chunk (up to " + lastSeqOf[vcpu] + ")");
        }
        if (count > seqs.length) {   // at most MAX_CHUNK_EXITS, and only once the checksum holds
            int n = Math.max(count, Math.min(seqs.length * 2, TraceFormat.MAX_CHUNK_EXITS));
            seqs = new long[n];
            times = new long[n];
            reasons = new int[n];
        }
        ColumnStore columns = store.columnStore();
        ChunkDecoder d = new ChunkDecoder(vcpu, data, dataLen);
        int n = 0;
        long prevSeq = first - 1;
        long prevTime = 0;
        while (d.hasNext()) {
            if (n == count) {
                throw new CorruptDataException("more exits than the " + count + " claimed");
            }
            d.skim(scratch);
            long seq = scratch.seq;
            if (n == 0 ? seq != first : seq <= prevSeq || seq > last) {
                throw new CorruptDataException("exit " + n + " has seq " + seq + ", out of order in "
                        + first + "-" + last);
            }
            if (scratch.timeNs < prevTime || scratch.guestNs < 0) {
                throw new CorruptDataException("exit " + seq + " has a time before the one before it");
            }
            if (columns.isPut(seq)) {
                throw new CorruptDataException("seq " + seq + " is claimed by another vCPU too");
            }
            seqs[n] = seq;
            times[n] = scratch.timeNs;
            reasons[n] = scratch.rawReason;
            prevSeq = seq;
            prevTime = scratch.timeNs;
            n++;
        }
        if (n != count || prevSeq != last) {
            throw new CorruptDataException("holds " + n + " exits up to seq " + prevSeq + ", claims " + count
                    + " up to " + last);
        }
        for (int i = 0; i < n; i++) {
            columns.put(seqs[i], times[i], vcpu, reasons[i]);
        }
        store.addRecovered(new Chunk(vcpu, first, last, count, data));
        lastSeqOf[vcpu] = last;
        maxSeq = Math.max(maxSeq, last);
        acceptedExits += count;
        exitChunks++;
        if (!handedOver || acceptedExits - acceptedAtPublish >= PUBLISH_EVERY) {
            publishSoFar();
        }
    }

    /**
     * Publishes the exits read so far that leave no gap before them, so a window can show the run while the rest
     * is read; hands the store over with the first ones.
     */
    private void publishSoFar() {
        acceptedAtPublish = acceptedExits;
        ColumnStore cs = store.columnStore();
        long n = cs.firstUnput(cs.size());
        raisedTimes += cs.publish(n);
        if (!handedOver && n > 0 && size >= EARLY_HAND_OVER_BYTES) {
            handedOver = true;
            progress.readable(store);
        }
    }

    private LoadedTrace finish() {
        if (kernel != null) {
            kernel.publish();
            store.setKernelEvents(kernel);
        }
        long n = maxSeq + 1;
        long raised = raisedTimes + store.columnStore().publish(n);
        if (raised > 0) {
            notes.add(String.format("%,d exit times ran backwards across chunks; the time column shows them"
                    + " raised to the time before", raised));
        }
        List<LoadReport.SeqRange> ranges = new ArrayList<>();
        long lost = 0;
        ExitColumns c = store.columns();
        ColumnStore cs = store.columnStore();
        for (long s = 0; s < n; s++) {
            if (c.vcpu(s) == ExitColumns.LOST) {
                long from = s;
                while (s < n && c.vcpu(s) == ExitColumns.LOST) {
                    s = Math.max(s + 1, cs.nextAllocated(s, n));   // a segment never put is lost whole
                }
                lost += s - from;
                if (ranges.size() < LoadReport.MAX_RANGES) {
                    ranges.add(new LoadReport.SeqRange(from, s));
                }
            }
        }
        long promised = Math.max(expectedExits, provenExits);
        if (promised > n) {
            lost += promised - n;
            if (ranges.size() < LoadReport.MAX_RANGES) {
                ranges.add(new LoadReport.SeqRange(n, promised));
            }
            if (provenExits > expectedExits) {
                notes.add(String.format("exits %,d-%,d were never written (the recording was cut short); console,"
                        + " breakpoint, code page or outcome records prove they happened", n, provenExits - 1));
            }
        }
        if (ended && (endExitsWritten != acceptedExits || endExitChunks != exitChunks) && losses.isEmpty()) {
            notes.add(String.format("the end record counts %,d exits in %,d chunks, the file holds %,d in %,d",
                    endExitsWritten, endExitChunks, acceptedExits, exitChunks));
        }
        if (ranges.size() == LoadReport.MAX_RANGES) {
            notes.add("only the first " + LoadReport.MAX_RANGES + " missing seq ranges are listed");
        }
        long refused = store.codePages().refused();
        if (refused > 0) {
            notes.add(String.format("%,d code pages past the first %,d were not kept", refused, CodePages.MAX_PAGES));
        }
        progress.progress(1.0);
        LoadReport r = new LoadReport(size, records, exitChunks, acceptedExits, List.copyOf(losses),
                List.copyOf(ranges), lost, ended, ended || provenExits > 0 ? promised : -1, List.copyOf(notes),
                largestAllocation);
        return new LoadedTrace(store, r);
    }

    // ---- helpers ----

    /** The next offset at or after {@code from} where an intact frame header starts, or -1. */
    private long findFrame(long from) throws IOException {
        byte[] block = new byte[SCAN_BLOCK + TraceFormat.FRAME_BYTES];
        long pos = from;
        while (size - pos >= TraceFormat.FRAME_BYTES) {
            checkCancelled();
            int n = in.read(pos, block, 0, (int) Math.min(block.length, size - pos));
            int last = n - TraceFormat.FRAME_BYTES;
            for (int i = 0; i <= last; i++) {
                if ((block[i] & 0xFF) == TraceFormat.SYNC0 && TraceFormat.isFrame(block, i)) {
                    return pos + i;
                }
            }
            pos += last + 1;
        }
        return -1;
    }

    /** A whole record payload; its length is already known to fit in the file. */
    private byte[] payload(long pos, int length) throws IOException {
        allocated(length);
        byte[] b = new byte[length];
        readFully(pos + TraceFormat.FRAME_BYTES, b, length);
        if (TraceFormat.crc(b, 0, length) != TraceFormat.u32(frame, 8)) {
            throw new PayloadDamaged();
        }
        return b;
    }

    private void readFully(long pos, byte[] dst, int len) throws IOException {
        int n = in.read(pos, dst, 0, len);
        if (n != len) {
            throw new IOException(name + " shrank while being read");
        }
    }

    private void proven(long exits) {
        provenExits = Math.max(provenExits, exits);
    }

    private void allocated(long n) {
        largestAllocation = Math.max(largestAllocation, n);
    }

    private void lose(long offset, long length, String record, String reason) {
        losses.add(new LoadReport.Loss(offset, length, record, reason));
    }

    private void damaged(long offset, long length, String record, String reason) {
        lose(offset, length, record, reason);
        damagedBytes += length;
    }

    /** A payload whose checksum fails: bytes were changed, lost or added inside it. */
    private static final class PayloadDamaged extends CorruptDataException {
        PayloadDamaged() {
            super("checksum mismatch");
        }
    }

    private void checkCancelled() {
        if (progress.cancelled() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("opening " + name + " was cancelled");
        }
    }

    private void report(long pos) {
        double f = size == 0 ? 1 : (double) pos / size;
        if (f - reported >= 0.005) {
            reported = f;
            progress.progress(f);
        }
    }
}
