package dev.vmscope.engine.gdb;

import dev.vmscope.engine.debug.DebugSession;
import dev.vmscope.engine.debug.SessionState;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stub against bad clients, over a raw socket on a real guest: wrong checksums, oversized and malformed
 * packets, stray bytes, a second client, a client that vanishes mid-run. The guest must stay as it was,
 * vmscope must keep working, and each problem must be one clear log line.
 */
class GdbProtocolTest {
    private final List<String> log = new CopyOnWriteArrayList<>();

    private static DebugSession launch(String sample) {
        KvmTests.requireKvm();
        return DebugSession.launch(GuestSpec.resolve(KvmTests.sample(sample)).build());
    }

    private void awaitLog(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (log.stream().noneMatch(l -> l.contains(text))) {
            assertThat(System.nanoTime()).as("log line containing '%s' in %s", text, log).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void awaitRunning(DebugSession s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (s.state().mode() != SessionState.Mode.RUNNING) {
            assertThat(System.nanoTime()).as("guest running within 20 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void badChecksumsAreRefusedAndTheRetryIsServed() throws Exception {
        try (DebugSession s = launch("hello"); GdbServer g = GdbServer.live(s, "0", log::add);
             RawClient c = new RawClient(g.port())) {
            c.raw("$g#00");
            assertThat(c.ack()).isEqualTo('-');
            String regs = c.request("g");
            assertThat(regs).hasSize(new RegisterMap(GdbArch.X86_64).totalBytes() * 2);
            assertThat(regs.substring(16 * 16, 16 * 16 + 16)).isEqualTo("0010000000000000");   // rip = 0x1000
            awaitLog("had a wrong checksum; asked gdb to send it again");
        }
    }

    @Test
    void oversizedMalformedAndStrayInputGetErrorsNotACrash() throws Exception {
        try (DebugSession s = launch("hello"); GdbServer g = GdbServer.live(s, "0", log::add);
             RawClient c = new RawClient(g.port())) {
            c.raw(RawClient.frame("M1000,1:" + "00".repeat(PacketChannel.MAX_PACKET)));
            assertThat(c.ack()).isEqualTo('+');
            assertThat(c.reply()).isEqualTo("E01");
            awaitLog("dropped a " + (PacketChannel.MAX_PACKET * 2 + 8) + "-byte packet");
            c.raw("garbage");
            c.raw(RawClient.frame("mzz,4"));
            assertThat(c.ack()).isEqualTo('+');
            assertThat(c.reply()).isEqualTo("E01");
            awaitLog("ignored 7 byte(s) outside any packet");
            awaitLog("bad number 'zz'");
            for (String bad : List.of("m1000", "M1000,2:0", "Z9,1000,1", "Hgzz", "p999", "P0=12", "G00", "vCont;q",
                    "qXfer:features:read:target.xml:0", "X1000,5:ab")) {
                c.raw(RawClient.frame(bad));
                c.ack();
                assertThat(c.reply()).as(bad).matches("E\\d\\d|");
            }
            // a guest address that is not RAM is an error, not zeros
            c.raw(RawClient.frame("mfffffff0,4"));
            c.ack();
            assertThat(c.reply()).isEqualTo("E01");
            // the connection still works, and so does the session
            assertThat(c.request("m1000,2")).isEqualTo(hex(s.readPhysical(0x1000, 2)));
            assertThat(s.state().mode()).isEqualTo(SessionState.Mode.PAUSED);
        }
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }

    @Test
    void aClientThatVanishesMidRunLeavesTheGuestRunningAndItsBreakpointsGone() throws Exception {
        try (DebugSession s = launch("spin"); GdbServer g = GdbServer.live(s, "0", log::add)) {
            try (RawClient c = new RawClient(g.port())) {
                c.raw(RawClient.frame("Z1,2000,1"));   // never reached: spin loops below it
                c.ack();
                assertThat(c.reply()).isEqualTo("OK");
                assertThat(s.addressBreakpoints()).hasSize(1);
                c.raw(RawClient.frame("vCont;c"));
                c.ack();
                try (RawClient second = new RawClient(g.port())) {
                    assertThat(second.closedByPeer()).isTrue();
                }
                awaitLog("a gdb is already attached");
            }   // gone without a word, while the guest runs
            assertThat(g.awaitConnectionsEnded(1, 20_000)).isTrue();
            awaitLog("gdb closed the connection (the guest keeps running)");
            assertThat(s.state().mode()).isEqualTo(SessionState.Mode.RUNNING);
            assertThat(s.addressBreakpoints()).isEmpty();
            // vmscope still works, and so does a new gdb
            s.pause();
            assertThat(s.awaitStop(20, TimeUnit.SECONDS).mode()).isEqualTo(SessionState.Mode.PAUSED);
            try (RawClient c = new RawClient(g.port())) {
                assertThat(c.request("?")).startsWith("T02thread:1;");
            }
        }
    }

    @Test
    void interruptByteStopsARunningGuest() throws Exception {
        try (DebugSession s = launch("spin"); GdbServer g = GdbServer.live(s, "0", log::add);
             RawClient c = new RawClient(g.port())) {
            assertThat(c.request("QStartNoAckMode")).isEqualTo("OK");
            c.raw(RawClient.frame("vCont;c"));
            awaitRunning(s);   // nothing in spin stops it: only the interrupt can
            c.raw(new byte[] {3});
            assertThat(c.reply()).isEqualTo("T02thread:1;");
            assertThat(s.state().mode()).isEqualTo(SessionState.Mode.PAUSED);
            // no-ack mode: a wrong checksum is dropped with a log line, no '-' comes back
            c.raw("$?#00");
            assertThat(c.request("qC")).isEqualTo("QC1");
            awaitLog("had a wrong checksum; dropped");
        }
    }
}
