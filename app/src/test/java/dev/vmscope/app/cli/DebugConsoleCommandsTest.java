package dev.vmscope.app.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The debug console's other commands, scripted through {@code vmscope debug} as a pipe would drive it: MSR
 * breakpoints with {@code --trap-msrs}, {@code stepi N}, {@code x/NxU}, {@code disas}, {@code vcpu N} on two
 * vCPUs, and a console that keeps answering after the guest triple-faulted. Addresses are the samples' own
 * (see their .asm files).
 */
class DebugConsoleCommandsTest {
    private static CliErrorsTest.Result debug(String sample, String script, String... options) {
        String[] args = new String[options.length + 1];
        args[0] = CliCommandsTest.sample(sample).toString();
        System.arraycopy(options, 0, args, 1, options.length);
        return CliRecordTest.debug(script, args);
    }

    /** The regs blocks in order, each from its rax= line on (to the next block or the end). */
    private static List<String> regsBlocks(String out) {
        List<String> parts = List.of(out.split("(?m)^(?=rax=)"));
        return parts.subList(1, parts.size());
    }

    @Test
    void msrBreakpointStopsAtTheTrappedWrmsrAndRdmsr() {
        CliCommandsTest.requireKvm();
        var r = debug("msr", """
                break exit MSR index=0x174 write
                continue
                regs
                break exit RDMSR index=0x175
                continue
                delete 1
                delete 2
                continue
                quit
                """, "--trap-msrs");
        assertThat(r.code()).isZero();
        String out = r.out();
        // the first line is printed before the WRMSR runs, the second only after it
        assertThat(out).containsSubsequence("serial: tsc ok",
                "stopped: #", " vcpu 0 X86_WRMSR wrmsr msr 0x174 = 0x8 rip=0x103f"
                        + " [breakpoint 1: exit MSR index=0x174 write]",
                "next: 0x103f wrmsr",
                "rax=0x0000000000000008", "rcx=0x0000000000000174", "rdx=0x0000000000000000",
                "serial: sysenter_cs=0x00000008",
                " vcpu 0 X86_RDMSR rdmsr msr 0x175 -> 0x12345678 rip=0x1066 [breakpoint 2: exit RDMSR index=0x175]",
                "serial: sysenter_esp=0x12345678",
                "finished: HALTED");
        // two breakpoints, one stop each: the rdmsr 0x174 and the writes to 0x175 went past
        assertThat(out.lines().filter(l -> l.startsWith("stopped: "))).hasSize(2);
    }

    @Test
    void withoutMsrTrappingTheSameBreakpointNeverStops() {
        CliCommandsTest.requireKvm();
        // KVM handles these MSRs in the kernel: nothing reaches user space to stop on (samples/msr/README.md)
        var r = debug("msr", """
                break exit MSR index=0x174
                continue
                quit
                """);
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("stopped: ").contains("finished: HALTED — every vCPU halted");
    }

    @Test
    void stepiNRunsNInstructionsAndReportsEach() {
        CliCommandsTest.requireKvm();
        var r = debug("msr", """
                break exit RDMSR index=0x175
                continue
                stepi 3
                regs
                quit
                """, "--trap-msrs");
        String out = r.out();
        // from the rdmsr at 0x1066: mov si, 0x10db (0x1068), call puts (0x106b), lands at puts (0x1076)
        assertThat(out).containsSubsequence(
                "X86_RDMSR rdmsr msr 0x175 -> 0x12345678 rip=0x1066",
                "vcpu 0 DEBUG #DB pc 0x1068", "rip=0x1068", "next: 0x1068 mov si, 0x10db",
                "vcpu 0 DEBUG #DB pc 0x106b", "rip=0x106b", "next: 0x106b call 0x1076",
                "vcpu 0 DEBUG #DB pc 0x1076", "rip=0x1076", "next: 0x1076 push ax");
        assertThat(out.lines().filter(l -> l.contains(" DEBUG #DB "))).hasSize(3);
        String regs = regsBlocks(out).get(0);
        assertThat(regs).contains("rax=0x0000000012345678")   // what the trapped rdmsr returned
                .containsPattern("rsi=0x[0-9a-f]{12}10db")      // mov si ran (ESI's top half: the TSC)
                .contains("rsp=0x000000000000ffee")              // call pushed the 2-byte return address
                .contains("rip=0x0000000000001076");
    }

    /** The line x/NxU prints for {@code count} units of {@code unit} bytes at {@code addr}, read from the image. */
    private static String dumpLine(byte[] image, long load, long addr, int count, int unit) {
        StringBuilder b = new StringBuilder(String.format("0x%x:", addr));
        for (int i = 0; i < count; i++) {
            long v = 0;
            for (int k = unit - 1; k >= 0; k--) {
                v = (v << 8) | (image[(int) (addr - load) + i * unit + k] & 0xFF);
            }
            b.append(String.format(" 0x%0" + (unit * 2) + "x", v));
        }
        return b.append('\n').toString();
    }

    @Test
    void examineDumpsTheBytesTheImageHasThere() throws IOException {
        CliCommandsTest.requireKvm();
        byte[] image = Files.readAllBytes(CliCommandsTest.sample("msr").resolve("msr.bin"));
        var r = debug("msr", """
                x/16xb 0x10b1
                x/4xw 0x1000
                x/2xg 0x1000
                x/3xh 0x1002
                quit
                """);
        assertThat(r.out()).doesNotContain("error:");
        // "tsc ok\n\0tsc did" at 0x10b1 (the image loads at 0x1000), one byte per unit
        assertThat(dumpLine(image, 0x1000, 0x10B1, 16, 1))
                .startsWith("0x10b1: 0x74 0x73 0x63 0x20 0x6f 0x6b 0x0a 0x00 0x74");
        assertThat(r.out()).contains(dumpLine(image, 0x1000, 0x10B1, 16, 1));
        // wider units are little-endian: cli (fa), cld (fc), then mov ecx, 0x10 (66 b9 10 00 00 00)
        assertThat(r.out()).contains("0x1000: 0xb966fcfa 0x00000010 ")
                .contains(dumpLine(image, 0x1000, 0x1000, 4, 4))
                .contains(dumpLine(image, 0x1000, 0x1000, 2, 8))
                .contains("0x1002: 0xb966 0x0010 0x0000\n");
    }

    @Test
    void disasShowsCodeAtRipAndAtAnAddress() {
        CliCommandsTest.requireKvm();
        var r = debug("msr", """
                disas
                disas 0x1030 3
                quit
                """);
        String out = r.out();
        assertThat(out).doesNotContain("error:");
        // paused before the first instruction: the listing starts at RIP, marked
        assertThat(out).containsPattern("(?m)^=> 0x1000: fa +cli$")
                .containsPattern("(?m)^   0x1001: fc +cld$")
                .containsPattern("(?m)^   0x1002: 66b910000000 +mov ecx, 0x10$")
                .containsPattern("(?m)^   0x1008: 0f32 +rdmsr$");
        assertThat(out.lines().filter(l -> l.matches("(=>| {2}) 0x[0-9a-f]+: .*"))).hasSize(8 + 3);
        assertThat(out).containsPattern("(?m)^   0x1030: 66b974010000 +mov ecx, 0x174$")
                .containsPattern("(?m)^   0x1036: 6631d2 +xor edx, edx$")
                .containsPattern("(?m)^   0x1039: 66b808000000 +mov eax, 0x8$");
    }

    @Test
    void vcpuSwitchesWhichVcpuRegsAndStepsLookAt() {
        CliCommandsTest.requireKvm();
        var r = debug("smp", """
                break exit IO vcpu=1
                continue
                regs
                vcpu 0
                regs
                vcpu 2
                vcpu 1
                stepexit
                quit
                """);
        String out = r.out();
        // the stop selects the vCPU that hit: 'c' of "cpu1: pong 1"
        assertThat(out).contains("vcpu 1 IO out 0x3f8 size 1 = 0x63 'c'").contains("[breakpoint 1: exit IO vcpu=1]");
        List<String> regs = regsBlocks(out);
        assertThat(regs).hasSize(2);
        // vCPU 1: AX = (index << 10) with 'c' in AL (EAX's top half is CPUID's), index 1 in BX,
        // stack 0xF000 - 0x400 minus two return addresses (print_line, puts)
        assertThat(regs.get(0)).containsPattern("rax=0x[0-9a-f]{12}0463\n").contains("rbx=0x0000000000000001")
                .contains("rsp=0x000000000000ebfc").contains("rip=0x000000000000106a");
        // vCPU 0, kicked out of the guest by the all-stop after handing the turn on: index 0, its own stack,
        // back in its round loop (0x1023-0x103f), not where its last serial byte left it
        assertThat(regs.get(1)).contains("rbx=0x0000000000000000").contains("rsp=0x000000000000f000")
                .containsPattern("rip=0x00000000000010(2[3-9a-f]|3[0-9a-f])\n");
        // a vCPU that does not exist leaves the selection alone; stepexit runs the selected vCPU 1 (only) to its
        // next exit: 'p'
        assertThat(out).containsSubsequence("\nvcpu 0\n", "error: vcpu 2: no vCPU 2 (this guest has 2)\nvcpu 1\n",
                "stopped: #", " vcpu 1 IO out 0x3f8 size 1 = 0x70 'p'");
    }

    @Test
    void afterATripleFaultTheConsoleStillAnswers() {
        CliCommandsTest.requireKvm();
        var r = debug("triplefault", """
                continue
                regs
                info
                info status
                exits 1
                disas
                stepi
                status
                quit
                """);
        assertThat(r.code()).as("the guest failed: exit code 1").isEqualTo(1);
        String out = r.out();
        String finished = "finished: TRIPLE_FAULT — triple fault on vCPU 0 at CS:EIP 0008:0000103b (linear 0x103b) (KVM_EXIT_SHUTDOWN)";
        assertThat(out).containsSubsequence("serial: Empty IDT, then UD2: expect a triple fault", finished);
        // regs: the state at the SHUTDOWN, in protected mode, at the ud2, with the empty IDT
        assertThat(regsBlocks(out).get(0)).contains("rip=0x000000000000103b").contains("cr0=0x60000011")
                .contains("idtr=0x0/0x0").containsPattern("(?m)^cs=0x0008 base=0x0 limit=0xffffffff ar=0xc09b$");
        assertThat(out).contains("no breakpoints")
                .contains("#43 vcpu 0 SHUTDOWN triple fault (shutdown) rip=0x103b")
                .containsPattern("(?m)^=> 0x103b: 0f0b +ud2$");
        // info status, stepi (nothing left to step) and status each report the end again
        assertThat(out.lines().filter(finished::equals)).hasSize(4);
        assertThat(out).doesNotContain("error:").doesNotContain("still running");
    }
}
