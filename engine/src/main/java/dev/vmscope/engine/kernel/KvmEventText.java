package dev.vmscope.engine.kernel;

import dev.vmscope.engine.x86.X86Decoder;
import dev.vmscope.engine.x86.X86Insn;

/**
 * What a KVM tracepoint says, in words: one decoder per event vmscope knows (exits and entries, emulated
 * instructions through vmscope's disassembler, port and MMIO accesses, MSRs, CRs, CPUID, injected interrupts
 * and exceptions, APIC, interrupt lines, EOIs, page faults, user-space exits). Names of exit reasons, APIC
 * registers and modes come from the running kernel's print format; any other event is its name and fields.
 */
final class KvmEventText {
    private KvmEventText() {
    }

    static String summary(KernelEvent e) {
        return switch (e.name()) {
            case "kvm_exit" -> exit(e);
            case "kvm_entry" -> String.format("enter guest at rip 0x%x%s%s", e.number("rip"),
                    e.number("intr_info") != 0 ? String.format(" injecting intr_info 0x%08x error_code 0x%x",
                            e.number("intr_info"), e.number("error_code")) : "",
                    e.number("immediate_exit") != 0 ? " [immediate exit]" : "");
            case "kvm_emulate_insn" -> emulated(e);
            case "kvm_pio" -> pio(e);
            case "kvm_mmio" -> String.format("mmio %s 0x%x len %d val 0x%x",
                    orNumber(e.symbol("type", 0, e.number("type")), e.number("type")), e.number("gpa"),
                    e.number("len"), e.number("val"));
            case "kvm_msr" -> String.format("%s msr 0x%x = 0x%x%s", e.number("write") != 0 ? "wrmsr" : "rdmsr",
                    e.number("ecx"), e.number("data"), e.number("exception") != 0 ? " (#GP)" : "");
            case "kvm_cr" -> String.format("mov %s cr%d = 0x%x", e.number("rw") != 0 ? "to" : "from",
                    e.number("cr"), e.number("val"));
            case "kvm_cpuid" -> String.format("cpuid 0x%x/0x%x → eax 0x%x ebx 0x%x ecx 0x%x edx 0x%x%s",
                    e.number("function"), e.number("index"), e.number("rax"), e.number("rbx"), e.number("rcx"),
                    e.number("rdx"), e.has("found") && e.number("found") == 0 ? " (no entry)" : "");
            case "kvm_inj_virq" -> String.format("inject %s vector 0x%x%s",
                    e.number("soft") != 0 ? "software interrupt" : "IRQ", e.number("vector"),
                    e.number("reinjected") != 0 ? " (reinjected)" : "");
            case "kvm_inj_exception" -> String.format("inject exception %s%s",
                    orNumber(e.symbol("exception", 0, e.number("exception")), e.number("exception")),
                    e.number("has_error") != 0 ? String.format(" error code 0x%x", e.number("error_code")) : "");
            case "kvm_apic" -> String.format("apic %s %s = 0x%x", e.number("rw") != 0 ? "write" : "read",
                    orNumber(e.symbol("reg", 0, e.number("reg")), e.number("reg")), e.number("val"));
            case "kvm_set_irq" -> String.format("irq line gsi %d level %d (source %d)", e.number("gsi"),
                    e.number("level"), e.number("irq_source_id"));
            case "kvm_pic_set_irq" -> String.format("PIC %s pin %d (irq %d)%s%s",
                    e.number("chip") == 0 ? "master" : "slave", e.number("pin"),
                    e.number("chip") * 8 + e.number("pin"),
                    (e.number("imr") >> e.number("pin") & 1) != 0 ? " masked" : "",
                    e.number("coalesced") != 0 ? " (coalesced)" : "");
            case "kvm_ioapic_set_irq" -> String.format("IOAPIC pin %d vector 0x%x dest 0x%x%s", e.number("pin"),
                    e.number("e") & 0xFF, e.number("e") >>> 56, e.number("coalesced") != 0 ? " (coalesced)" : "");
            case "kvm_eoi" -> String.format("EOI vector 0x%x (apic %d)", e.number("vector"), e.number("apicid"));
            case "kvm_ack_irq" -> String.format("%s acked pin %d",
                    orNumber(e.symbol("irqchip", 0, e.number("irqchip")), e.number("irqchip")), e.number("pin"));
            case "kvm_page_fault" -> String.format("page fault at 0x%x rip 0x%x error code 0x%x",
                    e.number("fault_address"), e.number("guest_rip"), e.number("error_code"));
            case "kvm_userspace_exit" -> e.number("errno") < 0
                    ? "KVM_RUN returns errno " + -e.number("errno")
                    : "exit to user space: " + orNumber(e.symbol("reason", 0, e.number("reason")), e.number("reason"));
            default -> String.join(" ", e.fieldTexts());
        };
    }

    private static String exit(KernelEvent e) {
        KvmExitEvent x = KvmExitEvent.of(e);
        String name = x.reasonName();
        return String.format("%s exit %s%s rip 0x%x info1 0x%x info2 0x%x intr_info 0x%08x error_code 0x%x",
                x.vmx() ? "VMX" : "SVM", name, x.failedEntry() ? " (VM entry failed)" : "", x.rip(), x.info1(),
                x.info2(), x.intrInfo(), x.errorCode());
    }

    private static String emulated(KernelEvent e) {
        byte[] insn = e.bytes("insn");
        int len = (int) Math.min(e.number("len"), insn.length);
        byte[] code = java.util.Arrays.copyOf(insn, Math.max(len, 0));
        String mode = orNumber(e.symbol("flags", 0, e.number("flags")), e.number("flags"));
        int bits = mode.contains("64") ? 64 : mode.contains("32") ? 32 : 16;
        long rip = e.number("rip");
        String text = "(bad)";
        if (code.length > 0) {
            X86Insn x = new X86Decoder(bits).decode(code, 0, code.length, rip);
            if (x != null && x.valid()) {
                text = x.operands().isEmpty() ? x.mnemonic() : x.mnemonic() + " " + x.operands();
            }
        }
        return String.format("emulated %s [%s] at %x:%x (%s)%s", text, hex(code), e.number("csbase"), rip, mode,
                e.number("failed") != 0 ? " FAILED" : "");
    }

    private static String pio(KernelEvent e) {
        boolean write = e.number("rw") != 0;
        long val = e.number("val");
        long size = e.number("size");
        String ch = write && size == 1 && val >= 0x20 && val < 0x7F ? " '" + (char) val + "'" : "";
        return String.format("%s port 0x%x size %d%s = 0x%x%s", write ? "out" : "in", e.number("port"), size,
                e.number("count") > 1 ? " count " + e.number("count") : "", val, ch);
    }

    private static String orNumber(String name, long value) {
        return name != null ? name : Long.toString(value);
    }

    /** Bytes as {@code 0f 22 c0}. */
    static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            if (!s.isEmpty()) {
                s.append(' ');
            }
            s.append(String.format("%02x", x & 0xFF));
        }
        return s.toString();
    }
}
