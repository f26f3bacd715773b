package dev.vmscope.engine.kernel;

import dev.vmscope.engine.testing.TracefsTests;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kvm_exit records built byte by byte at the offsets this kernel's own format file gives, decoded back through
 * the parser: reason (by the kernel's own name), qualification, interruption info, error code, failed entry.
 */
class KvmExitFormatTest {

    private static EventFormat kvmExit() throws IOException {
        Path root = TracefsTests.requireTracefs();
        return EventFormat.parse("kvm", Tracefs.read(root.resolve("events/kvm/kvm_exit/format")));
    }

    /** A record laid out from the format: every field written where the format says, nothing assumed. */
    private static byte[] record(EventFormat f, Object... nameValue) {
        int size = f.fields().stream().mapToInt(x -> x.offset() + x.size()).max().orElse(0);
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        put(b, f.field("common_type"), f.id());
        for (int i = 0; i < nameValue.length; i += 2) {
            put(b, f.field((String) nameValue[i]), ((Number) nameValue[i + 1]).longValue());
        }
        return b.array();
    }

    private static void put(ByteBuffer b, FieldFormat field, long v) {
        assertThat(field).isNotNull();
        for (int i = 0; i < field.size(); i++) {
            b.put(field.offset() + i, (byte) (v >>> (8 * i)));
        }
    }

    @Test
    void vmxIoExitDecodesFromThisKernelsLayout() throws IOException {
        EventFormat f = kvmExit();
        byte[] r = record(f, "exit_reason", 30, "guest_rip", 0x100c, "isa", 1, "info1", 0x03F80000L,
                "info2", 0, "intr_info", 0, "error_code", 0, "vcpu_id", 1);
        KernelEvent e = new KernelEvent(0, 0, 1, f, r);
        KvmExitEvent x = KvmExitEvent.of(e);
        assertThat(x.vmx()).isTrue();
        assertThat(x.basicReason()).isEqualTo(30);
        assertThat(x.reasonName()).isEqualTo("IO_INSTRUCTION");
        assertThat(x.info1()).as("exit qualification").isEqualTo(0x03F80000L);
        assertThat(x.rip()).isEqualTo(0x100c);
        assertThat(x.failedEntry()).isFalse();
        assertThat(e.summary()).contains("VMX exit IO_INSTRUCTION").contains("info1 0x3f80000");
    }

    @Test
    void vmxExceptionExitWithInterruptionInfoAndErrorCode() throws IOException {
        EventFormat f = kvmExit();
        // #GP (vector 13), hardware exception (type 3), error code valid, valid: 0x80000B0D
        byte[] r = record(f, "exit_reason", 0, "isa", 1, "intr_info", 0x80000B0DL, "error_code", 0x18,
                "info2", 0xFEE00000L);
        KvmExitEvent x = KvmExitEvent.of(new KernelEvent(0, 0, 0, f, r));
        assertThat(x.reasonName()).isEqualTo("EXCEPTION_NMI");
        assertThat(x.intrInfo()).isEqualTo(0x80000B0DL);
        assertThat(x.errorCode()).isEqualTo(0x18);
        assertThat(x.info2()).isEqualTo(0xFEE00000L);
    }

    @Test
    void failedEntryBitAndSvmCodes() throws IOException {
        EventFormat f = kvmExit();
        KvmExitEvent failed = KvmExitEvent.of(new KernelEvent(0, 0, 0, f,
                record(f, "exit_reason", 0x80000021L, "isa", 1)));
        assertThat(failed.failedEntry()).isTrue();
        assertThat(failed.basicReason()).isEqualTo(33);
        assertThat(failed.reasonName()).isEqualTo("INVALID_STATE");
        KvmExitEvent npf = KvmExitEvent.of(new KernelEvent(0, 0, 0, f,
                record(f, "exit_reason", 0x400, "isa", 2, "info1", 0x6, "info2", 0xD0000000L)));
        assertThat(npf.vmx()).isFalse();
        assertThat(npf.reasonName()).isEqualTo("npf");
        assertThat(npf.info2()).as("EXITINFO2: the guest-physical address").isEqualTo(0xD0000000L);
        KvmExitEvent io = KvmExitEvent.of(new KernelEvent(0, 0, 0, f, record(f, "exit_reason", 0x7B, "isa", 2)));
        assertThat(io.reasonName()).isEqualTo("io");
    }

    @Test
    void theFormatsFieldsAreReadNotAssumed() throws IOException {
        EventFormat f = kvmExit();
        assertThat(f.id()).isPositive();
        assertThat(f.ownFields()).extracting(FieldFormat::name)
                .contains("exit_reason", "guest_rip", "isa", "info1", "info2", "intr_info", "error_code", "vcpu_id");
        assertThat(f.symbols("exit_reason", 0).name(48)).isEqualTo("EPT_VIOLATION");
    }

    @Test
    void symbolTablesEvaluateTheKernelsConstantExpressions() {
        EventFormat f = EventFormat.parse("kvm", """
                name: demo
                ID: 7
                format:
                \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
                \tfield:__u8 flags;\toffset:8;\tsize:1;\tsigned:0;
                \tfield:int level;\toffset:12;\tsize:4;\tsigned:1;
                \tfield:__u8 insn[15];\toffset:16;\tsize:15;\tsigned:0;

                print fmt: "%s %s", __print_symbolic(REC->flags, { 0, "real" }, { (1 << 0) | (1 << 3), "prot64" }), \
                __print_symbolic(REC->level, { 0x040 + 13, "GP" "excp" }, { -1, "none" })
                """);
        assertThat(f.symbols("flags", 0).name(9)).isEqualTo("prot64");
        assertThat(f.symbols("level", 0).name(0x4D)).isEqualTo("GPexcp");
        assertThat(f.symbols("level", 0).name(-1)).isEqualTo("none");
        byte[] r = new byte[31];
        r[12] = (byte) 0xFE;
        r[13] = r[14] = r[15] = (byte) 0xFF;
        assertThat(f.field("level").number(r, 0, r.length)).as("signed").isEqualTo(-2);
        assertThat(f.field("insn").arrayLength()).isEqualTo(15);
        assertThat(f.field("insn").number(r, 0, 20)).as("beyond a short record").isZero();
    }
}
