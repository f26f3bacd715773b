package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.exit.StateLayout.Segment;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** ELF images built byte by byte here, loaded at their physical addresses and run on KVM. */
class ElfLoaderTest {
    // mov dx,0x3f8 ; mov al,'E' ; out dx,al ; mov al,0x10 ; out 0xf4,al   (32/64-bit encoding)
    static final byte[] CODE = HexFormat.of().parseHex("66BAF803B045EEB010E6F4");

    /** A one-segment ELF: code at file offset 0x100, linked at {@code vaddr}, loaded at {@code paddr}, 64 bytes of bss. */
    static byte[] elf(boolean is64, long vaddr, long paddr, byte[] code) {
        ByteBuffer b = ByteBuffer.allocate(0x100 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{0x7F, 'E', 'L', 'F', (byte) (is64 ? 2 : 1), 1, 1, 0});
        b.putShort(16, (short) 2).putShort(18, (short) (is64 ? 62 : 3)).putInt(20, 1);
        if (is64) {
            b.putLong(24, vaddr).putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
            b.putInt(64, 1).putInt(68, 5).putLong(72, 0x100).putLong(80, vaddr).putLong(88, paddr)
                    .putLong(96, code.length).putLong(104, code.length + 64).putLong(112, 0x1000);
        } else {
            b.putInt(24, (int) vaddr).putInt(28, 52).putShort(40, (short) 52).putShort(42, (short) 32)
                    .putShort(44, (short) 1);
            b.putInt(52, 1).putInt(56, 0x100).putInt(60, (int) vaddr).putInt(64, (int) paddr)
                    .putInt(68, code.length).putInt(72, code.length + 64).putInt(76, 5).putInt(80, 0x1000);
        }
        b.put(0x100, code);
        return b.array();
    }

    @Test
    void a64BitElfLinkedHighRunsFromItsPhysicalAddressInLongMode() {
        byte[] image = elf(true, 0xFFFFFFFF80200000L, 0x200000, CODE);
        assertThat(BootProtocol.detect(image)).isEqualTo(BootProtocol.ELF);
        GuestRun r = GuestRun.run(GuestSpec.forImage("elf64", image).memory(8 << 20).build());
        assertThat(r.console()).isEqualTo("E");
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).isEqualTo(0x21);
        var s = r.last().state();
        assertThat(s.efer() & 0x500).isEqualTo(0x500);
        assertThat(s.segment(Segment.CS).l()).isTrue();
        assertThat(s.rip()).isBetween(0x200000L, 0x200000L + CODE.length);
    }

    @Test
    void a32BitElfRunsInProtectedMode() {
        GuestRun r = GuestRun.run(GuestSpec.forImage("elf32", elf(false, 0x300000, 0x300000, CODE))
                .memory(8 << 20).build());
        assertThat(r.console()).isEqualTo("E");
        assertThat(r.last().state().codeBits()).isEqualTo(32);
        assertThat(r.last().state().cr0() & 0x80000001L).isEqualTo(1);
    }

    @Test
    void bssIsZeroedAndSegmentsAreBoundsChecked() {
        try (GuestMemory mem = new GuestMemory(4 << 20)) {
            mem.fill(0x200000, 0x1000, (byte) 0x55);
            ElfLoader.Loaded l = ElfLoader.load(elf(true, 0x200000, 0x200000, CODE), mem, mem.size());
            assertThat(l.end()).isEqualTo(0x200000 + CODE.length + 64);
            assertThat(mem.read(0x200000, CODE.length)).isEqualTo(CODE);
            assertThat(mem.read(0x200000 + CODE.length, 64)).containsOnly(0);
            assertThat(mem.readByte(0x200000 + CODE.length + 64)).isEqualTo(0x55);

            byte[] outside = elf(true, 0x3FFFF0, 0x3FFFF0, CODE);
            assertThatThrownBy(() -> ElfLoader.load(outside, mem, mem.size())).isInstanceOf(ImageFormatException.class)
                    .hasMessageContaining("does not fit in guest RAM");
            byte[] truncated = java.util.Arrays.copyOf(elf(true, 0x200000, 0x200000, CODE), 0x104);
            assertThatThrownBy(() -> ElfLoader.load(truncated, mem, mem.size()))
                    .hasMessageContaining("lies outside the file");
        }
    }

    @Test
    void theCommandLineSaysWhichLoaderItUsed() {
        MachineConfig c = GuestSpec.forImage("elf64", elf(true, 0x200000, 0x200000, CODE)).build();
        assertThat(c.boot()).isEqualTo(BootProtocol.ELF);
        assertThat(c.pc()).isTrue();
        assertThat(c.boot().description).isEqualTo("ELF loader");
    }
}
