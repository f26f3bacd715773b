package dev.vmscope.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a live run's older exits or kernel events go when its memory bound is reached: a temporary file,
 * unlinked as soon as it is open, so nothing is left behind however the process ends (even by SIGKILL). Blocks
 * are appended by one spilling thread and read back by any thread through a small cache of the blocks read
 * last, so stepping through spilled data does not read the disk per item.
 */
public final class SpillFile implements AutoCloseable {
    /** Blocks kept after reading: a few chunks and column segments, a few MiB at most. */
    private static final int CACHED = 8;

    private final FileChannel channel;
    private final String where;
    private final String what;
    private long end;
    private final Map<Long, Object> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Object> e) {
            return size() > CACHED;
        }
    };

    private SpillFile(FileChannel channel, String where, String what) {
        this.channel = channel;
        this.where = where;
        this.what = what;
    }

    /**
     * Creates the file in {@code dir} and unlinks it at once: only this channel reaches it from then on.
     * {@code what} it holds ("exits") names it in messages.
     */
    public static SpillFile create(Path dir, String what) throws IOException {
        Path p = Files.createTempFile(dir, "vmscope-spill-", ".tmp");
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Files.delete(p);
        return new SpillFile(ch, dir.toString(), what);
    }

    /** The line that says a bound of {@code keep} {@code what} ("exits") was reached, set by {@code option}. */
    public static String boundReached(long keep, String what, Path dir, String option) {
        return String.format(java.util.Locale.ROOT, "more than %,d %s: older ones now move to a temporary file in %s"
                + " (deleted already, gone when vmscope ends) and read back from there (%s)", keep, what, dir, option);
    }

    /** The line that says moving {@code what} to a file in {@code dir} failed with {@code e}, for good. */
    public static String cannotSpill(String what, Path dir, Throwable e) {
        String cause = e instanceof IOException io ? IoErrors.cause(io) : e.toString();
        return "cannot move older " + what + " to a temporary file in " + dir + " (" + cause + "): they stay in memory"
                + " from now on";
    }

    /** The directory the (unlinked) file lives in, for messages. */
    public String where() {
        return where;
    }

    /** Bytes written so far. */
    public synchronized long size() {
        return end;
    }

    /** Appends {@code b}; returns the offset it starts at. One writing thread. */
    public long append(ByteBuffer b) throws IOException {
        long at;
        synchronized (this) {
            at = end;
            end += b.remaining();
        }
        for (long pos = at; b.hasRemaining(); ) {
            pos += channel.write(b, pos);
        }
        return at;
    }

    /** The block at {@code offset}, read (and cached) by {@code decode} from its {@code length} bytes. */
    public synchronized <T> T read(long offset, int length, Decoder<T> decode) {
        @SuppressWarnings("unchecked")
        T hit = (T) cache.get(offset);
        if (hit != null) {
            return hit;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, offset + b.position()) < 0) {
                    throw new IOException("the spill file ends early");
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read back spilled " + what + " from " + where + ": "
                    + IoErrors.cause(e), e);
        }
        b.flip();
        T value = decode.decode(b);
        cache.put(offset, value);
        return value;
    }

    /** Turns a block's bytes back into what was spilled. */
    @FunctionalInterface
    public interface Decoder<T> {
        T decode(ByteBuffer b);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
