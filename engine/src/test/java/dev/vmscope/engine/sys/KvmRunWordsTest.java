package dev.vmscope.engine.sys;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** The exit union's word accessors read what the byte offsets (checked against the headers) hold. */
class KvmRunWordsTest {
    private final ByteBuffer run = ByteBuffer.allocate(KvmRunLayout.SYNC_END).order(ByteOrder.LITTLE_ENDIAN);

    private long word(int i) {
        return run.getLong(KvmRunLayout.unionWord(i));
    }

    @Test
    void io() {
        run.put(KvmRunLayout.IO_DIRECTION, (byte) 1).put(KvmRunLayout.IO_SIZE, (byte) 2)
                .putShort(KvmRunLayout.IO_PORT, (short) 0xBEEF).putInt(KvmRunLayout.IO_COUNT, 0x7654_3210);
        long w0 = word(0);
        assertThat(KvmRunLayout.ioOut(w0)).isTrue();
        assertThat(KvmRunLayout.ioSize(w0)).isEqualTo(2);
        assertThat(KvmRunLayout.ioPort(w0)).isEqualTo(0xBEEF);
        assertThat(KvmRunLayout.ioCount(w0)).isEqualTo(0x7654_3210L);
        assertThat(KvmRunLayout.ioWord(true, 2, 0xBEEF, 0x7654_3210L)).isEqualTo(w0);
        assertThat(KvmRunLayout.ioOut(KvmRunLayout.ioWord(false, 1, 0x3F8, 1))).isFalse();
    }

    @Test
    void mmio() {
        run.putLong(KvmRunLayout.MMIO_PHYS_ADDR, 0xFEE0_0000L).putLong(KvmRunLayout.MMIO_DATA, 0x1122_3344_5566_7788L)
                .putInt(KvmRunLayout.MMIO_LEN, 4).put(KvmRunLayout.MMIO_IS_WRITE, (byte) 1);
        assertThat(word(KvmRunLayout.MMIO_WORD_ADDRESS)).isEqualTo(0xFEE0_0000L);
        assertThat(word(KvmRunLayout.MMIO_WORD_DATA)).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(KvmRunLayout.mmioLength(word(KvmRunLayout.MMIO_WORD_LENGTH))).isEqualTo(4);
        assertThat(KvmRunLayout.mmioWrite(word(KvmRunLayout.MMIO_WORD_LENGTH))).isTrue();
    }

    @Test
    void msr() {
        run.put(KvmRunLayout.MSR_ERROR, (byte) 1).putInt(KvmRunLayout.MSR_REASON, 4)
                .putInt(KvmRunLayout.MSR_INDEX, 0xC000_0080).putLong(KvmRunLayout.MSR_DATA, 0xD01L);
        assertThat(KvmRunLayout.msrError(word(KvmRunLayout.MSR_WORD_ERROR))).isEqualTo(1);
        assertThat(KvmRunLayout.msrReason(word(KvmRunLayout.MSR_WORD_REASON_INDEX))).isEqualTo(4);
        assertThat(KvmRunLayout.msrIndex(word(KvmRunLayout.MSR_WORD_REASON_INDEX))).isEqualTo(0xC000_0080);
        assertThat(word(KvmRunLayout.MSR_WORD_DATA)).isEqualTo(0xD01L);
    }
}
