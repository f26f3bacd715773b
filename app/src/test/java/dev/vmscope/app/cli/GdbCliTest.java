package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real gdb against {@code vmscope debug --gdb} on real guests, as a user would drive them: registers against
 * vmscope's own snapshot, stepi, hbreak, threads = vCPUs, Ctrl-C on a spinning guest, monitor commands
 * (kernel events among them, on this host's tracefs).
 */
class GdbCliTest {
    private static VmscopeProcess debug(String sample, String... more) throws Exception {
        CliCommandsTest.requireKvm();
        GdbBatch.requireGdb();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("debug",
                CliCommandsTest.sample(sample).toAbsolutePath().toString(), "--gdb", "127.0.0.1:0"));
        args.addAll(java.util.List.of(more));
        return new VmscopeProcess(args.toArray(String[]::new));
    }

    private static long gdbValue(String gdbOut, String reg) {
        Matcher m = Pattern.compile("(?m)^" + reg + "\\s+0x([0-9a-f]+)").matcher(gdbOut);
        assertThat(m.find()).as(reg + " in gdb's output:\n" + gdbOut).isTrue();
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    private static long vmscopeValue(VmscopeProcess p, String reg, int from) throws Exception {
        return Long.parseUnsignedLong(p.await("^" + reg + "=0x([0-9a-f]+)", from).group(1), 16);
    }

    @Test
    void longmodeRegistersStepiAndHbreak() throws Exception {
        try (VmscopeProcess p = debug("longmode")) {
            int port = p.gdbPort();
            // 0x1062: long_entry, the first 64-bit instruction (mov ax, 0x10: 66 B8 10 00, four bytes)
            String out = GdbBatch.run(port, "hbreak *0x1062", "continue", "info registers rip cr0 cr3 cr4 efer",
                    "stepi", "info registers rip", "break *0x1071", "continue", "set $rbx = 0x1234abcd", "stepi",
                    "p/x $rbx", "x/i $pc");
            assertThat(out).contains("Hardware assisted breakpoint 1 at 0x1062")
                    .contains("Breakpoint 1, 0x0000000000001062");
            assertThat(gdbValue(out, "cr0") & 0x80000001L).isEqualTo(0x80000001L);   // PG and PE
            assertThat(gdbValue(out, "efer") & 0x500).isEqualTo(0x500);             // LME and LMA
            assertThat(out).containsPattern("(?m)^rip\\s+0x1066\\s");              // stepi: +4 bytes
            // break (Z0) served by a debug register; a register gdb sets is the one the guest runs with
            assertThat(out).contains("Breakpoint 2 at 0x1071").contains("Breakpoint 2, 0x0000000000001071")
                    .contains("$1 = 0x1234abcd").contains("=> 0x1078:");
            p.await("gdb: gdb detached");
            int from = p.lineCount();
            p.command("regs");   // vmscope's own snapshot of the same vCPU, after gdb left
            assertThat(vmscopeValue(p, "rip", from)).isEqualTo(0x1078);
            assertThat(vmscopeValue(p, "rbx", from)).isEqualTo(0x1234abcdL);
            for (String r : new String[] {"cr0", "cr3", "cr4", "efer"}) {
                assertThat(vmscopeValue(p, r, from)).as(r).isEqualTo(gdbValue(out, r));
            }
        }
    }

    @Test
    void smpThreadsAreVcpusAndAStopNamesTheVcpuThatStopped() throws Exception {
        try (VmscopeProcess p = debug("smp")) {
            String out = GdbBatch.run(p.gdbPort(), "info threads", "monitor break-exit IO port=0x3f8 vcpu=1",
                    "continue", "info threads", "monitor why");
            assertThat(out).contains("Thread 1 (vCPU 0").contains("Thread 2 (vCPU 1");
            assertThat(out).contains("breakpoint 1: exit IO");
            assertThat(out).contains("Thread 2 received signal SIGTRAP");
            assertThat(out).containsPattern("\\* 2\\s+Thread 2 \\(vCPU 1");
            assertThat(out).containsPattern("#\\d+ vcpu 1 IO out 0x3f8");
        }
    }

    @Test
    void ctrlCPausesASpinningGuestAndContinueResumesIt() throws Exception {
        try (VmscopeProcess p = debug("spin")) {
            GdbBatch gdb = GdbBatch.start(p.gdbPort(), "set debug remote 1", "continue", "info registers rip",
                    "continue", "monitor exits 2");
            gdb.await("Sending packet: $vCont;c", 1);
            p.await("serial: spinning");
            gdb.interrupt();
            gdb.await("Sending packet: $vCont;c", 2);
            // gdb's second continue really resumed the guest: vmscope's own console says so
            String st;
            do {
                int from = p.lineCount();
                p.command("status");
                st = p.await("^(running|paused.*|finished.*)$", from).group(1);
            } while (!st.equals("running"));
            gdb.interrupt();
            String out = gdb.finish();
            assertThat(out).contains("Program received signal SIGINT, Interrupt.");
            assertThat(out.split("received signal SIGINT", -1)).hasSize(3);
            // the first stop is an INTR exit (the kick out of KVM_RUN) in the jmp $ loop, where gdb shows it
            Matcher m = Pattern.compile("#\\d+ vcpu 0 INTR .*rip=(0x[0-9a-f]+)").matcher(out);
            assertThat(m.find()).as(out).isTrue();
            assertThat(out).containsPattern("(?m)^rip\\s+" + m.group(1));
        }
    }

    @Test
    void monitorBreakExitStopsAtTheNextIoExit() throws Exception {
        try (VmscopeProcess p = debug("hello")) {
            String out = GdbBatch.run(p.gdbPort(), "monitor break-exit IO port=0x3f8", "continue",
                    "p/x $rax & 0xff", "monitor why", "monitor exits 1", "monitor phys on", "x/2xb 0x1000",
                    "monitor bogus");
            assertThat(out).contains("breakpoint 1: exit IO port=0x3f8")
                    .contains("Program received signal SIGTRAP")
                    .contains("$1 = 0x48")   // 'H', the first character
                    .contains("#0 vcpu 0 IO out 0x3f8 size 1 = 0x48 'H'")
                    .contains("stopped by breakpoint 1: exit IO port=0x3f8")
                    .contains("memory addresses are guest-physical")
                    .contains("error: unknown monitor command 'bogus'");
        }
    }

    @Test
    void monitorKeventsShowsWhatTheKernelDidBeforeTheLatestExit() throws Exception {
        dev.vmscope.engine.testing.TracefsTests.requireTracefs();
        try (VmscopeProcess p = debug("hello", "--kernel-events")) {
            String out = GdbBatch.run(p.gdbPort(), "monitor kevents", "monitor break-exit IO port=0x3f8",
                    "continue", "monitor kevents", "monitor kevents 2");
            assertThat(out).contains("error: vCPU 0 has not exited yet: step first")
                    .contains("kernel events of vCPU 0 before exit #0:")
                    .containsPattern("(?m)^    kvm_pio +out port 0x3f8 size 1 = 0x48 'H'$")
                    .contains("earlier kernel events");   // kevents 2: the last two, and how many came before
        }
        try (VmscopeProcess p = debug("hello")) {
            String out = GdbBatch.run(p.gdbPort(), "monitor break-exit IO", "continue", "monitor kevents");
            assertThat(out).contains("kernel events: kernel events were not captured");
        }
    }

    @Test
    void narrowerArchitecturesDecodeTheGuestsOwnCode() throws Exception {
        try (VmscopeProcess p = debug("hello", "--gdb-arch", "i8086")) {
            String out = GdbBatch.run(p.gdbPort(), "x/2i $pc", "info registers eip");
            assertThat(out).contains("mov    $0x1011,%si").containsPattern("(?m)^eip\\s+0x1000\\s");
        }
        try (VmscopeProcess p = debug("protected", "--gdb-arch", "i386")) {
            String out = GdbBatch.run(p.gdbPort(), "monitor break-exit IO", "continue", "x/i $pc",
                    "info registers eip cs");
            assertThat(out).contains("=> 0x1036:\tjmp    0x1030").containsPattern("(?m)^cs\\s+0x8\\s");
        }
    }

    @Test
    void symbolsNameAddressesInGdbAndInVmscope() throws Exception {
        try (VmscopeProcess p = debug("symbols", "--gdb-arch", "i386")) {
            int port = p.gdbPort();
            p.command("break addr main");   // the console takes symbols too
            p.await("breakpoint 1: addr 0x100070");
            String elf = CliCommandsTest.sample("symbols").resolve("symbols.bin").toAbsolutePath().toString();
            String out = GdbBatch.run(port, "symbol-file " + elf, "break putc", "continue", "continue",
                    "info symbol $pc", "monitor exits 1", "monitor vmcs exit");
            assertThat(out).contains("Breakpoint 1 at 0x10009b")
                    .containsPattern("Breakpoint 1, 0x0010009b in putc \\(\\)")
                    .contains("putc in section .text")
                    .containsPattern("#\\d+ vcpu 0 DEBUG .* rip=0x10009b <putc>")
                    .contains("at putc");
            // gdb first stopped in main on vmscope's own breakpoint 1 (a SIGTRAP to gdb), then at its own putc
            assertThat(out).contains("Program received signal SIGTRAP").contains("0x00100070 in main ()");
            p.await("gdb: gdb detached");
            int from = p.lineCount();
            p.command("break exit IO port=0x3f8");
            p.command("continue");
            p.await("stopped: #\\d+ vcpu 0 IO out 0x3f8 size 1 = 0x48 'H' rip=0x1000a0 <putc\\+0x5>", from);
            p.command("disas main 2");
            p.await("^main:$", from);
            p.await("^   0x100075: e814000000 +call 0x10008e <puts>$", from);   // the call target named
            p.command("break addr nosuch");
            p.await("error: break addr nosuch: no symbol 'nosuch'", from);
        }
    }
}
