package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExit;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.trace.Outcome;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-kernel PIT and PIC of the PC machine, on their own: a real-mode guest remaps the PIC, programs PIT
 * channel 0 for 100 Hz and counts IRQ0 ticks, printing a 't' from the handler; after five it leaves through
 * the debug-exit port with the count. The PIC and PIT ports never reach user space (the kernel has them):
 * only the UART writes and the final exit do.
 */
class PitTest {
    /*
     * bits 16, org 0x1000:
     *   cli; xor ax,ax; mov ds,ax; mov ss,ax; mov sp,0x7000
     *   mov word [0x80], tick; mov word [0x82], 0        ; IVT vector 0x20
     *   ICW1 0x11 -> 0x20; ICW2 0x20, ICW3 0x04, ICW4 0x01, mask 0xFE -> 0x21
     *   0x34 -> 0x43; 11932 (lo, hi) -> 0x40                ; channel 0, mode 2, 100 Hz
     *   sti
     *   .wait: hlt; cmp byte [count],5; jb .wait
     *   cli; mov al,[count]; out 0xF4,al; hlt
     *   tick: inc byte [count]; push ax; push dx; mov dx,0x3F8; mov al,'t'; out dx,al
     *         mov al,0x20; out 0x20,al; pop dx; pop ax; iret
     *   count: db 0
     */
    private static final byte[] IMAGE = HexFormat.of().parseHex("fa31c08ed88ed0bc0070c70680004610c70682000000b011e620"
            + "b020e621b004e621b001e621b0fee621b034e643b09ce640b02ee640fbf4803e59100572f8faa05910e6f4f4fe0659105052baf8"
            + "03b074eeb020e6205a58cf00");

    @Test
    void channelZeroAt100HzInterruptsTheGuestFiveTimes() {
        GuestRun r = GuestRun.image("pit", IMAGE, b -> b.pc(true));
        assertThat(r.outcome().kind()).isEqualTo(Outcome.Kind.DEBUG_EXIT);
        assertThat(r.outcome().status()).isEqualTo((5 << 1) | 1);
        assertThat(r.console()).isEqualTo("ttttt");
        List<ExitRecord> ticks = r.exits().stream()
                .filter(e -> e.exit() instanceof KvmExit.Io io && io.port() == 0x3F8 && io.out()).toList();
        assertThat(ticks).hasSize(5);
        assertThat(ticks).allMatch(e -> e.state().rip() >= 0x1046 && e.state().rip() <= 0x1058);   // in the handler
        assertThat(r.exits()).noneMatch(e -> e.exit() instanceof KvmExit.Io io
                && (io.port() == 0x20 || io.port() == 0x21 || io.port() == 0x40 || io.port() == 0x43));
        // the fifth tick is due 50 ms after the guest programmed the PIT, which it did just after the run started
        // (exit times count from the start). KVM may deliver missed ticks late and back to back, never early
        double ms = ticks.get(4).timeNs() / 1e6;
        System.out.printf("PIT: fifth tick %.1f ms after the start%n", ms);
        assertThat(ms).isGreaterThan(49);
    }
}
