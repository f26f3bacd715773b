package dev.vmscope.engine.debug;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Hand-checked encodings per mode: exact text and length (the length drives stepping and VM-exit lengths). */
class DisassemblerTest {
    private static final long AT = 0x1000;

    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    /** {@code hex} is exactly one instruction whose text is {@code text}. */
    private static void one(int bits, String hex, String text) {
        byte[] code = hex(hex);
        List<Disassembler.Insn> l = Disassembler.disassemble(code, AT, bits, 10);
        assertThat(l).as("%d-bit %s", bits, hex).isNotEmpty();
        Disassembler.Insn i = l.get(0);
        assertThat(i.text()).as("%d-bit %s", bits, hex).isEqualTo(text);
        assertThat(i.length()).as("%d-bit %s: %s", bits, hex, text).isEqualTo(code.length);
        assertThat(i.bytes()).isEqualTo(code);
        assertThat(i.address()).isEqualTo(AT);
    }

    @Nested
    class RealMode {
        @Test
        void portIo() {
            one(16, "BA F8 03", "mov dx, 0x3f8");
            one(16, "EE", "out dx, al");
            one(16, "E6 80", "out 0x80, al");
            one(16, "EC", "in al, dx");
            one(16, "E4 60", "in al, 0x60");
            one(16, "ED", "in ax, dx");
            one(16, "66 ED", "in eax, dx");
            one(16, "E7 80", "out 0x80, ax");
            one(16, "66 EF", "out dx, eax");
        }

        @Test
        void stringInstructionsWithRepeatPrefixes() {
            one(16, "F3 6E", "rep outsb");
            one(16, "F3 6F", "rep outsw");
            one(16, "F3 66 6F", "rep outsd");
            one(16, "F3 6C", "rep insb");
            one(16, "F3 A4", "rep movsb");
            one(16, "F3 66 AB", "rep stosd");
            one(16, "F3 A6", "repe cmpsb");
            one(16, "F2 AE", "repne scasb");
            one(16, "AC", "lodsb");
            one(16, "64 AC", "fs lodsb");
            one(16, "F3 64 6E", "rep fs outsb");
        }

        @Test
        void sixteenBitAddressing() {
            one(16, "8B 00", "mov ax, word [bx+si]");
            one(16, "8B 40 10", "mov ax, word [bx+si+0x10]");
            one(16, "8B 46 FE", "mov ax, word [bp-0x2]");
            one(16, "8B 46 00", "mov ax, word [bp+0x0]");
            one(16, "8B 87 34 12", "mov ax, word [bx+0x1234]");
            one(16, "8B 06 34 12", "mov ax, word [0x1234]");
            one(16, "89 1D", "mov word [di], bx");
            one(16, "26 C6 06 00 00 AB", "mov byte [es:0x0], 0xab");
            one(16, "C7 06 00 00 AB 00", "mov word [0x0], 0xab");
            one(16, "67 8B 04 88", "mov ax, word [eax+ecx*4]");   // a32 in 16-bit code
            one(16, "67 66 8B 44 24 04", "mov eax, dword [esp+0x4]");
        }

        @Test
        void branchesAreAbsolute() {
            one(16, "75 02", "jnz 0x1004");
            one(16, "EB FE", "jmp 0x1000");
            one(16, "E8 FD FF", "call 0x1000");
            one(16, "0F 84 00 01", "jz 0x1104");
            one(16, "E3 00", "jcxz 0x1002");
            one(16, "E2 FE", "loop 0x1000");
            one(16, "67 E2 FD", "loop 0x1000, ecx");
            one(16, "66 E9 00 00 00 00", "jmp 0x1006");
        }

        @Test
        void farJumpsAndCalls() {
            one(16, "EA 10 10 08 00", "jmp 0x8:0x1010");
            one(16, "9A 00 10 08 00", "call 0x8:0x1000");
            one(16, "66 EA 00 10 00 00 08 00", "jmp 0x8:0x1000");
            one(16, "FF 2F", "jmp far [bx]");
            one(16, "FF 1F", "call far [bx]");
            one(16, "CB", "retf");
            one(16, "CA 04 00", "retf 0x4");
        }

        @Test
        void controlAndSystemRegisters() {
            one(16, "0F 20 C0", "mov eax, cr0");
            one(16, "0F 22 D8", "mov cr3, eax");
            one(16, "0F 22 E0", "mov cr4, eax");
            one(16, "0F 21 F8", "mov eax, dr7");
            one(16, "0F 23 C0", "mov dr0, eax");
            one(16, "0F 20 00", "mov eax, cr0");   // the mod field is ignored: always a register, no displacement
            one(16, "0F 01 16 00 20", "lgdt [0x2000]");
            one(16, "0F 01 1E 00 20", "lidt [0x2000]");
            one(16, "66 0F 01 16 00 20", "lgdt [0x2000]");
        }

        @Test
        void interruptsFlagsAndSegments() {
            one(16, "CD 10", "int 0x10");
            one(16, "CC", "int3");
            one(16, "F1", "int1");
            one(16, "CE", "into");
            one(16, "CF", "iret");
            one(16, "66 CF", "iretd");
            one(16, "F4", "hlt");
            one(16, "FA", "cli");
            one(16, "FB", "sti");
            one(16, "06", "push es");
            one(16, "1F", "pop ds");
            one(16, "0E", "push cs");
            one(16, "0F A0", "push fs");
            one(16, "0F A9", "pop gs");
            one(16, "8E D8", "mov ds, ax");
            one(16, "8C C8", "mov ax, cs");
            one(16, "C8 08 00 01", "enter 0x8, 0x1");
            one(16, "C9", "leave");
            one(16, "60", "pusha");
            one(16, "66 61", "popad");
            one(16, "9C", "pushf");
        }

        @Test
        void x87IsDecoded() {
            one(16, "D9 E8", "fld1");
            one(16, "DD 07", "fld qword [bx]");
            one(16, "DF E0", "fnstsw ax");
            one(16, "DB E3", "fninit");
            one(16, "D8 C1", "fadd st0, st1");
            one(16, "DE E9", "fsubp st1, st0");
            one(16, "DB 2E 00 10", "fld tword [0x1000]");
            one(16, "D9 3E 00 10", "fnstcw word [0x1000]");
            one(16, "9B", "wait");   // its own instruction for the CPU, whatever follows
        }
    }

    @Nested
    class ProtectedMode {
        @Test
        void sibAndDisplacementForms() {
            one(32, "B8 78 56 34 12", "mov eax, 0x12345678");
            one(32, "8B 44 24 04", "mov eax, dword [esp+0x4]");
            one(32, "8B 04 8D 00 10 00 00", "mov eax, dword [ecx*4+0x1000]");
            one(32, "8B 05 00 10 00 00", "mov eax, dword [0x1000]");
            one(32, "8B 04 25 00 10 00 00", "mov eax, dword [0x1000]");   // SIB, no base, no index
            one(32, "8B 45 00", "mov eax, dword [ebp+0x0]");
            one(32, "89 84 88 78 56 34 12", "mov dword [eax+ecx*4+0x12345678], eax");
            one(32, "8B 4C 58 F0", "mov ecx, dword [eax+ebx*2-0x10]");
            one(32, "66 89 C8", "mov ax, cx");
            one(32, "67 8B 40 10", "mov eax, dword [bx+si+0x10]");
            one(32, "8D 44 24 08", "lea eax, [esp+0x8]");
            one(32, "64 A1 30 00 00 00", "mov eax, dword [fs:0x30]");
            one(32, "2E FF 24 85 00 20 00 00", "jmp dword [cs:eax*4+0x2000]");
        }

        @Test
        void generalInstructions() {
            one(32, "83 C0 FF", "add eax, -0x1");
            one(32, "81 E4 F0 FF FF FF", "and esp, 0xfffffff0");
            one(32, "6B C0 0C", "imul eax, eax, 0xc");
            one(32, "F7 D8", "neg eax");
            one(32, "F6 C4 01", "test ah, 0x1");
            one(32, "C1 E0 04", "shl eax, 0x4");
            one(32, "D1 F8", "sar eax, 1");
            one(32, "D3 E8", "shr eax, cl");
            one(32, "0F B6 C0", "movzx eax, al");
            one(32, "0F BF C8", "movsx ecx, ax");
            one(32, "0F A3 C8", "bt eax, ecx");
            one(32, "0F BA E0 03", "bt eax, 0x3");
            one(32, "0F AB 08", "bts dword [eax], ecx");
            one(32, "0F BC C1", "bsf eax, ecx");
            one(32, "F3 0F BC C1", "tzcnt eax, ecx");
            one(32, "0F BD C1", "bsr eax, ecx");
            one(32, "0F A4 D8 04", "shld eax, ebx, 0x4");
            one(32, "0F AD D8", "shrd eax, ebx, cl");
            one(32, "F0 0F B1 0A", "lock cmpxchg dword [edx], ecx");
            one(32, "F0 0F C1 08", "lock xadd dword [eax], ecx");
            one(32, "0F C7 0E", "cmpxchg8b qword [esi]");
            one(32, "0F C8", "bswap eax");
            one(32, "0F 95 C0", "setnz al");
            one(32, "0F 44 C3", "cmovz eax, ebx");
            one(32, "99", "cdq");
            one(32, "98", "cwde");
            one(32, "87 D9", "xchg ebx, ecx");
            one(32, "91", "xchg eax, ecx");
            one(32, "63 C8", "arpl ax, cx");
            one(32, "0F 1F 44 00 00", "nop dword [eax+eax+0x0]");
            one(32, "66 0F 1F 84 00 00 00 00 00", "nop word [eax+eax+0x0]");
            one(32, "F3 90", "pause");
            one(32, "90", "nop");
            one(32, "C3", "ret");
            one(32, "C2 08 00", "ret 0x8");
            one(32, "EA 00 10 00 00 08 00", "jmp 0x8:0x1000");
            one(32, "FF D0", "call eax");
            one(32, "FF 25 00 20 00 00", "jmp dword [0x2000]");
            one(32, "0F 85 FA FF FF FF", "jnz 0x1000");
            one(32, "CD 80", "int 0x80");
            one(32, "CF", "iretd");
        }

        @Test
        void systemInstructions() {
            one(32, "0F 32", "rdmsr");
            one(32, "0F 30", "wrmsr");
            one(32, "0F 31", "rdtsc");
            one(32, "0F 33", "rdpmc");
            one(32, "0F A2", "cpuid");
            one(32, "0F 34", "sysenter");
            one(32, "0F 35", "sysexit");
            one(32, "0F 01 F9", "rdtscp");
            one(32, "0F 06", "clts");
            one(32, "0F 09", "wbinvd");
            one(32, "0F 08", "invd");
            one(32, "0F 0B", "ud2");
            one(32, "0F B9 00", "ud1 eax, dword [eax]");
            one(32, "0F FF C0", "ud0 eax, eax");
            one(32, "0F 00 D8", "ltr ax");
            one(32, "0F 00 C8", "str eax");
            one(32, "0F 00 10", "lldt word [eax]");
            one(32, "0F 00 00", "sldt word [eax]");
            one(32, "0F 00 20", "verr word [eax]");
            one(32, "0F 00 E8", "verw ax");
            one(32, "0F 01 E0", "smsw eax");
            one(32, "0F 01 F0", "lmsw ax");
            one(32, "0F 01 38", "invlpg [eax]");
            one(32, "0F 01 00", "sgdt [eax]");
            one(32, "0F 01 08", "sidt [eax]");
            one(32, "0F 02 C3", "lar eax, ebx");
            one(32, "0F 03 06", "lsl eax, word [esi]");
            one(32, "0F 01 C8", "monitor");
            one(32, "0F 01 C9", "mwait");
            one(32, "0F 01 D0", "xgetbv");
            one(32, "0F 01 D1", "xsetbv");
            one(32, "0F C7 F0", "rdrand eax");
            one(32, "0F C7 F8", "rdseed eax");
            one(32, "F3 0F C7 F8", "rdpid eax");
            one(32, "0F AE E8", "lfence");
            one(32, "0F AE F0", "mfence");
            one(32, "0F AE F8", "sfence");
            one(32, "0F AE 38", "clflush [eax]");
            one(32, "66 0F AE 38", "clflushopt [eax]");
            one(32, "0F AE 00", "fxsave [eax]");
            one(32, "0F AE 08", "fxrstor [eax]");
            one(32, "0F AE 20", "xsave [eax]");
            one(32, "0F AE 28", "xrstor [eax]");
            one(32, "0F AE 10", "ldmxcsr dword [eax]");
        }

        @Test
        void vmx() {
            one(32, "0F 01 C1", "vmcall");
            one(32, "0F 01 C2", "vmlaunch");
            one(32, "0F 01 C3", "vmresume");
            one(32, "0F 01 C4", "vmxoff");
            one(32, "0F 01 D9", "vmmcall");
            one(32, "0F C7 30", "vmptrld qword [eax]");
            one(32, "66 0F C7 30", "vmclear qword [eax]");
            one(32, "F3 0F C7 30", "vmxon qword [eax]");
            one(32, "0F C7 38", "vmptrst qword [eax]");
            one(32, "0F 78 C8", "vmread eax, ecx");
            one(32, "0F 79 C1", "vmwrite eax, ecx");
            one(32, "66 0F 38 80 08", "invept ecx, oword [eax]");
            one(32, "66 0F 38 81 08", "invvpid ecx, oword [eax]");
        }

        @Test
        void vexAndLesLdsShareTheirOpcodes() {
            one(32, "C4 06", "les eax, [esi]");        // mod != 11: LES
            one(32, "C5 F8 77", "vzeroupper");         // mod bits 11: VEX
            one(32, "C5 F9 EF C0", "vpxor xmm0, xmm0, xmm0");
            one(32, "62 00", "bound eax, [eax]");
        }

        @Test
        void sse() {
            one(32, "0F 28 C1", "movaps xmm0, xmm1");
            one(32, "66 0F 6F 00", "movdqa xmm0, oword [eax]");
            one(32, "F3 0F 10 C1", "movss xmm0, xmm1");
            one(32, "F2 0F 58 C1", "addsd xmm0, xmm1");
            one(32, "66 0F EF C0", "pxor xmm0, xmm0");
            one(32, "0F EF C0", "pxor mm0, mm0");
            one(32, "66 0F 70 C1 1B", "pshufd xmm0, xmm1, 0x1b");
            one(32, "66 0F 73 D8 04", "psrldq xmm0, 0x4");
            one(32, "66 0F 3A 0F C1 08", "palignr xmm0, xmm1, 0x8");
            one(32, "66 0F 38 00 C1", "pshufb xmm0, xmm1");
            one(32, "F2 0F 38 F1 C1", "crc32 eax, ecx");
            one(32, "0F 77", "emms");
        }
    }

    @Nested
    class LongMode {
        @Test
        void ripRelativeAndRex() {
            one(64, "48 89 05 10 00 00 00", "mov qword [rip+0x10], rax");
            one(64, "48 8B 05 F0 FF FF FF", "mov rax, qword [rip-0x10]");
            one(64, "48 8D 3D 00 01 00 00", "lea rdi, [rip+0x100]");
            one(64, "67 8B 05 10 00 00 00", "mov eax, dword [eip+0x10]");
            one(64, "48 B8 88 77 66 55 44 33 22 11", "mov rax, 0x1122334455667788");
            one(64, "48 C7 C0 FF FF FF FF", "mov rax, 0xffffffffffffffff");
            one(64, "4C 8B 04 24", "mov r8, qword [rsp]");
            one(64, "41 8B 45 00", "mov eax, dword [r13+0x0]");
            one(64, "41 8B 04 24", "mov eax, dword [r12]");
            one(64, "42 8B 04 25 00 10 00 00", "mov eax, dword [r12+0x1000]");   // REX.X: index 12 is real
            one(64, "8B 04 25 00 10 00 00", "mov eax, dword [0x1000]");
            one(64, "67 8B 00", "mov eax, dword [eax]");
            one(64, "40 B6 05", "mov sil, 0x5");
            one(64, "B4 05", "mov ah, 0x5");
            one(64, "40 88 E0", "mov al, spl");
            one(64, "45 88 C8", "mov r8b, r9b");
            one(64, "66 41 89 C8", "mov r8w, cx");
            one(64, "48 63 C1", "movsxd rax, ecx");
            one(64, "63 C1", "movsxd eax, ecx");
            one(64, "48 A1 88 77 66 55 44 33 22 11", "mov rax, qword [0x1122334455667788]");
            one(64, "67 A0 00 10 00 00", "mov al, byte [0x1000]");
            one(64, "65 48 8B 04 25 28 00 00 00", "mov rax, qword [gs:0x28]");
        }

        @Test
        void stackAndBranchesDefaultTo64Bits() {
            one(64, "50", "push rax");
            one(64, "41 50", "push r8");
            one(64, "66 50", "push ax");
            one(64, "FF 30", "push qword [rax]");
            one(64, "8F 00", "pop qword [rax]");
            one(64, "6A FF", "push -0x1");
            one(64, "9C", "pushfq");
            one(64, "48 CF", "iretq");
            one(64, "FF D0", "call rax");
            one(64, "FF 20", "jmp qword [rax]");
            one(64, "41 FF E3", "jmp r11");
            one(64, "66 E9 00 00 00 00", "jmp 0x1006");   // Intel: 66 does not shrink a 64-bit-mode branch
            one(64, "E3 FE", "jrcxz 0x1000");
            one(64, "67 E3 FD", "jecxz 0x1000");
            one(64, "48 FF 28", "jmp far [rax]");
            one(64, "C3", "ret");
        }

        @Test
        void systemInstructions() {
            one(64, "0F 05", "syscall");
            one(64, "0F 07", "sysret");
            one(64, "48 0F 07", "sysretq");
            one(64, "0F 01 F8", "swapgs");
            one(64, "0F 01 F9", "rdtscp");
            one(64, "44 0F 20 C0", "mov rax, cr8");
            one(64, "0F 22 D8", "mov cr3, rax");
            one(64, "41 0F 22 C0", "mov cr0, r8");
            one(64, "0F 23 F8", "mov dr7, rax");
            one(64, "0F 78 D8", "vmread rax, rbx");
            one(64, "66 0F 38 80 08", "invept rcx, oword [rax]");
            one(64, "48 0F C7 08", "cmpxchg16b oword [rax]");
            one(64, "48 0F AE 00", "fxsave64 [rax]");
            one(64, "F3 48 0F AE C0", "rdfsbase rax");
            one(64, "F3 48 AB", "rep stosq");
            one(64, "48 ED", "in eax, dx");   // REX.W does not widen port I/O
            one(64, "41 90", "xchg eax, r8d");
            one(64, "F3 0F 1E FA", "endbr64");
            one(64, "0F 01 D8", "vmrun");
            one(64, "66 0F 01 CC", "tdcall");       // TDX guest -> TDX module
            one(64, "66 0F 01 CF", "seamcall");
            one(64, "0F 01 CF", "encls");
            one(64, "F2 0F 01 FF", "pvalidate");    // SEV-SNP
            one(64, "F3 0F 01 FE", "rmpadjust");
            one(64, "0F 01 FE", "invlpgb");
            one(64, "0F 01 CA", "clac");
            one(64, "0F 01 CB", "stac");
            one(64, "0F 01 E8", "serialize");
            one(64, "0F 01 EE", "rdpkru");
            one(64, "66 66 2E 0F 1F 84 00 00 00 00 00", "nop word [cs:rax+rax+0x0]");   // kernel padding
        }

        @Test
        void vexAndEvexLengths() {
            one(64, "C5 FC 28 00", "vmovaps ymm0, yword [rax]");
            one(64, "C5 EC 58 CB", "vaddps ymm1, ymm2, ymm3");
            one(64, "C4 41 7D 6F 04 24", "vmovdqa ymm8, yword [r12]");
            one(64, "C4 E2 79 18 00", "vbroadcastss xmm0, dword [rax]");
            one(64, "C4 E3 7D 18 C1 01", "vinsertf128 ymm0, ymm0, xmm1, 0x1");
            one(64, "C4 E2 78 F2 C1", "andn eax, eax, ecx");
            one(64, "C4 E3 FB F0 C1 05", "rorx rax, rcx, 0x5");
            one(64, "62 F1 7D 48 FE 40 01", "vpaddd");              // EVEX: disp8*N, operands not shown
            one(64, "62 F3 6D 48 25 CB 21", "vpternlogd");
            one(64, "62 F2 FD 48 3B CA", "vpminuq");            // EVEX.W: not VEX's vpminud
            one(64, "62 F2 E5 18 2C C4", "vscalefpd");          // not VEX's vmaskmovps
            one(64, "62 F1 65 08 72 C3 10", "(evex)");          // unnamed (vprord): still the right length
            one(64, "48 CB", "retfq");
        }
    }

    @Nested
    class Robustness {
        @Test
        void invalidBytesAreOneByteBad() {
            List<Disassembler.Insn> l = Disassembler.disassemble(hex("0F 04 90"), AT, 32, 10);
            assertThat(l).extracting(Disassembler.Insn::text).containsExactly("(bad)", "add al, 0x90");
            assertThat(Disassembler.disassemble(hex("06 D6 90"), AT, 64, 10)).extracting(Disassembler.Insn::text)
                    .containsExactly("(bad)", "(bad)", "nop");
            assertThat(Disassembler.disassemble(hex("0F 01 F8"), AT, 32, 1).get(0).text()).isEqualTo("(bad)");
            assertThat(Disassembler.disassemble(hex("8D C0"), AT, 32, 1).get(0).text())
                    .as("lea needs memory").isEqualTo("(bad)");
            assertThat(Disassembler.disassemble(hex("8E C8"), AT, 32, 1).get(0).text())
                    .as("mov cs, ax").isEqualTo("(bad)");
        }

        @Test
        void truncatedInstructionEndsTheList() {
            assertThat(Disassembler.disassemble(hex("B8 01"), AT, 32, 10)).isEmpty();
            assertThat(Disassembler.disassemble(hex("90 B8 01 00 00"), AT, 32, 10))
                    .extracting(Disassembler.Insn::text).containsExactly("nop");
            assertThat(Disassembler.disassemble(hex("66 0F"), AT, 32, 10)).isEmpty();
            assertThat(Disassembler.disassemble(hex("C5"), AT, 64, 10)).isEmpty();
            assertThat(Disassembler.disassemble(new byte[0], AT, 16, 10)).isEmpty();
        }

        @Test
        void fifteenBytesAtMost() {
            one(32, "66".repeat(14) + "90", "nop");
            List<Disassembler.Insn> l = Disassembler.disassemble(hex("66".repeat(15) + "90"), AT, 32, 1);
            assertThat(l.get(0).text()).isEqualTo("(bad)");
            assertThat(l.get(0).length()).isEqualTo(1);
        }

        @Test
        void maxAndAddresses() {
            List<Disassembler.Insn> l = Disassembler.disassemble(hex("90 B8 01 00 00 00 C3 CC"), 0x7C00, 32, 3);
            assertThat(l).extracting(Disassembler.Insn::address).containsExactly(0x7C00L, 0x7C01L, 0x7C06L);
            assertThat(Disassembler.disassemble(hex("90 90"), AT, 64, 0)).isEmpty();
        }

        @Test
        void onlyThreeCodeSizes() {
            assertThatThrownBy(() -> Disassembler.disassemble(hex("90"), AT, 8, 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
