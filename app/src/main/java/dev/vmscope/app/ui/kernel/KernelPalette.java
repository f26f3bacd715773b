package dev.vmscope.app.ui.kernel;

import javafx.scene.paint.Color;

/**
 * The colours of kernel events: one per kind of work KVM did (emulating, in-kernel I/O, interrupts, register
 * and MSR accesses, exits and entries, MMU), the same in the timeline's kernel sub-lanes, its legend and the
 * statistics. Deliberately few: a sub-lane a few pixels high can show a handful of hues, not forty tracepoints.
 */
public enum KernelPalette {
    EMULATE("emulated instruction", "#0d9488"),
    IO("in-kernel I/O", "#d97706"),
    INTERRUPT("interrupt", "#c026d3"),
    REGISTER("APIC/MSR/CR/CPUID", "#4f46e5"),
    EXIT("exit/entry", "#475569"),
    MMU("MMU", "#65a30d"),
    OTHER("other", "#a8a29e");

    private final String label;
    private final String css;
    private final Color color;

    KernelPalette(String label, String css) {
        this.label = label;
        this.css = css;
        this.color = Color.web(css);
    }

    public String label() {
        return label;
    }

    public String css() {
        return css;
    }

    public Color color() {
        return color;
    }

    /** The kind of a tracepoint, by its name ({@code kvm_pio}); unknown names are OTHER. */
    public static KernelPalette of(String name) {
        return switch (name) {
            case "kvm_emulate_insn", "kvm_fast_mmio" -> EMULATE;
            case "kvm_pio", "kvm_mmio" -> IO;
            case "kvm_set_irq", "kvm_pic_set_irq", "kvm_ioapic_set_irq", "kvm_msi_set_irq", "kvm_inj_virq",
                 "kvm_inj_exception", "kvm_eoi", "kvm_ack_irq", "kvm_apic_accept_irq", "kvm_apic_ipi",
                 "kvm_pic_ack_irq", "kvm_ioapic_delayed_eoi_inj", "kvm_pv_eoi" -> INTERRUPT;
            case "kvm_apic", "kvm_msr", "kvm_cr", "kvm_cpuid", "kvm_hypercall", "kvm_xsetbv" -> REGISTER;
            case "kvm_exit", "kvm_entry", "kvm_userspace_exit", "kvm_nested_vmexit", "kvm_nested_vmenter" -> EXIT;
            default -> name.startsWith("kvm_mmu") || name.contains("page_fault") || name.contains("tdp_mmu")
                    ? MMU : OTHER;
        };
    }
}
