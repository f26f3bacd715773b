package dev.vmscope.engine.machine.pc;

import dev.vmscope.engine.machine.io.IoBus;
import dev.vmscope.engine.machine.Uart16550;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Each standard device's registers, as a guest would poke them. */
class PcDevicesTest {
    @Test
    void uartRegistersAndTransmitInterrupt() {
        List<String> console = new ArrayList<>();
        List<Boolean> irq = new ArrayList<>();
        Uart16550 u = new Uart16550(0x3F8, console::add, irq::add);
        assertThat(u.in(0x3FD, 1)).as("LSR: THR empty, transmitter empty").isEqualTo(0x60);
        assertThat(u.in(0x3FA, 1)).as("IIR: nothing pending").isEqualTo(0x01);
        u.out(0x3FF, 1, 0x5A);
        assertThat(u.in(0x3FF, 1)).as("scratch").isEqualTo(0x5A);
        u.out(0x3FB, 1, 0x83);                    // DLAB on, 8N1
        u.out(0x3F8, 1, 0x0C);                    // divisor 12: 9600 baud
        u.out(0x3F9, 1, 0x00);
        assertThat(u.in(0x3F8, 1)).isEqualTo(0x0C);
        assertThat(u.in(0x3FB, 1)).isEqualTo(0x83);
        u.out(0x3FB, 1, 0x03);                    // DLAB off
        assertThat(console).as("divisor writes are not output").isEmpty();

        u.out(0x3F9, 1, 0x02);                    // IER: transmit-empty interrupt
        assertThat(irq).as("gated by MCR.OUT2").isEmpty();
        u.out(0x3FC, 1, 0x0B);                    // MCR: DTR RTS OUT2
        assertThat(irq).containsExactly(true);
        assertThat(u.in(0x3FA, 1)).as("IIR: THR empty").isEqualTo(0x02);
        assertThat(irq).containsExactly(true, false);
        assertThat(u.in(0x3FA, 1)).as("reading IIR cleared it").isEqualTo(0x01);
        u.out(0x3F8, 1, 'A');
        assertThat(irq).as("sent at once: empty again").containsExactly(true, false, true);
        u.out(0x3F8, 1, '\n');
        assertThat(console).containsExactly("A\n");
        u.out(0x3F9, 1, 0x00);
        assertThat(irq).containsExactly(true, false, true, false);
        assertThat(u.in(0x3FE, 1) & 0xB0).as("MSR: DCD DSR CTS").isEqualTo(0xB0);
    }

    @Test
    void cmosClockIsBcdAndMemorySizesAreThere() {
        Cmos c = new Cmos(16L << 20, 0);
        c.out(0x70, 1, 0x0B);
        assertThat(c.in(0x71, 1)).as("status B: 24h BCD").isEqualTo(0x02);
        c.out(0x70, 1, 0x00);
        long sec = c.in(0x71, 1);
        assertThat(sec & 0x0F).isLessThan(10);
        assertThat(sec >> 4).isLessThan(6);
        c.out(0x70, 1, 0x32);
        assertThat(c.in(0x71, 1)).as("century").isEqualTo(0x20);
        c.out(0x70, 1, 0x17);
        long lo = c.in(0x71, 1);
        c.out(0x70, 1, 0x18);
        long hi = c.in(0x71, 1);
        assertThat((hi << 8) | lo).as("KiB above 1 MiB").isEqualTo(15 * 1024);
        c.out(0x70, 1, 0x80 | 0x40);   // NMI-disable bit is not part of the index
        c.out(0x71, 1, 0x77);
        c.out(0x70, 1, 0x40);
        assertThat(c.in(0x71, 1)).isEqualTo(0x77);
    }

    @Test
    void fwCfgAnswersLikeQemu() {
        FwCfg f = new FwCfg(2, 64L << 20);
        f.out(0x510, 2, 0x0000);
        StringBuilder sig = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            sig.append((char) f.in(0x511, 1));
        }
        assertThat(sig).hasToString("QEMU");
        f.out(0x510, 2, 0x0005);
        assertThat(f.in(0x511, 1) | (f.in(0x511, 1) << 8)).as("CPU count").isEqualTo(2);
        f.out(0x510, 2, 0x0003);
        long ram = 0;
        for (int i = 0; i < 8; i++) {
            ram |= f.in(0x511, 1) << (8 * i);
        }
        assertThat(ram).isEqualTo(64L << 20);
        f.out(0x510, 2, 0x0001);
        assertThat(f.in(0x511, 1)).as("ID: traditional interface").isEqualTo(1);
        f.out(0x510, 2, 0x1234);
        assertThat(f.in(0x511, 1)).as("unknown item").isZero();
    }

    @Test
    void i8042ResetEndsTheMachine() {
        AtomicBoolean reset = new AtomicBoolean();
        I8042 k = new I8042(() -> reset.set(true));
        assertThat(k.in(0x64, 1) & 0x01).as("no output waiting").isZero();
        assertThat(k.in(0x64, 1) & 0x02).as("ready for input").isZero();
        k.out(0x64, 1, 0xAD);
        assertThat(reset).isFalse();
        k.out(0x64, 1, 0xFE);
        assertThat(reset).isTrue();
    }

    @Test
    void pciBusHasNoDevicesAndUnclaimedPortsAreOpenBus() {
        IoBus bus = new IoBus();
        bus.register(0xCF8, 8, new PciNoDevices());
        bus.out(0xCF8, 4, 0x80000000L);            // bus 0, device 0, function 0, register 0
        assertThat(bus.in(0xCF8, 4)).isEqualTo(0x80000000L);
        assertThat(bus.in(0xCFC, 4)).as("vendor/device: none").isEqualTo(0xFFFFFFFFL);
        assertThat(bus.in(0xCFE, 2)).isEqualTo(0xFFFF);
        assertThat(bus.in(0x1234, 1)).as("unclaimed port").isEqualTo(0xFF);
        assertThat(bus.in(0x1234, 2)).isEqualTo(0xFFFF);
        assertThat(bus.in(0x1234, 4)).isEqualTo(0xFFFFFFFFL);
    }
}
