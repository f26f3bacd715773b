package dev.vmscope.engine.sys;

import com.sun.jna.Structure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JNA Structure against the kernel's layout: sizes and offsets from the uapi headers are written
 * down here, and when a C compiler is present the same numbers are also read from the installed
 * headers with offsetof(), so a header that changes under us is caught too.
 */
class StructLayoutTest {

    /** C struct name, Java class, and Java field → C member (null = same name). */
    private record Spec(String cStruct, Class<? extends Structure> type, int size, Map<String, Integer> offsets,
                        Map<String, String> cNames) {
    }

    private static Map<String, Integer> offsets(Object... kv) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Integer) kv[i + 1]);
        }
        return m;
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("kvm_regs", KvmRegs.class, 144, offsets("rax", 0, "rbx", 8, "rcx", 16, "rdx", 24, "rsi", 32,
                    "rdi", 40, "rsp", 48, "rbp", 56, "r8", 64, "r15", 120, "rip", 128, "rflags", 136), Map.of()),
            new Spec("kvm_segment", KvmSegment.class, 24, offsets("base", 0, "limit", 8, "selector", 12, "type", 14,
                    "present", 15, "dpl", 16, "db", 17, "s", 18, "l", 19, "g", 20, "avl", 21, "unusable", 22,
                    "padding", 23), Map.of()),
            new Spec("kvm_dtable", KvmDtable.class, 16, offsets("base", 0, "limit", 8, "padding", 10), Map.of()),
            new Spec("kvm_sregs", KvmSregs.class, 312, offsets("cs", 0, "ds", 24, "es", 48, "fs", 72, "gs", 96,
                    "ss", 120, "tr", 144, "ldt", 168, "gdt", 192, "idt", 208, "cr0", 224, "cr2", 232, "cr3", 240,
                    "cr4", 248, "cr8", 256, "efer", 264, "apic_base", 272, "interrupt_bitmap", 280), Map.of()),
            new Spec("kvm_vcpu_events", KvmVcpuEvents.class, 64, offsets("exception_injected", 0, "exception_nr", 1,
                    "exception_has_error_code", 2, "exception_pending", 3, "exception_error_code", 4,
                    "interrupt_injected", 8, "interrupt_nr", 9, "interrupt_soft", 10, "interrupt_shadow", 11,
                    "nmi_injected", 12, "nmi_pending", 13, "nmi_masked", 14, "nmi_pad", 15, "sipi_vector", 16,
                    "flags", 20, "smi_smm", 24, "smi_pending", 25, "smi_smm_inside_nmi", 26, "smi_latched_init", 27,
                    "triple_fault_pending", 28, "reserved", 29, "exception_has_payload", 55, "exception_payload", 56),
                    cNamesForEvents()),
            new Spec("kvm_debugregs", KvmDebugregs.class, 128, offsets("db", 0, "dr6", 32, "dr7", 40, "flags", 48,
                    "reserved", 56), Map.of()),
            new Spec("kvm_userspace_memory_region", KvmUserspaceMemoryRegion.class, 32, offsets("slot", 0, "flags", 4,
                    "guest_phys_addr", 8, "memory_size", 16, "userspace_addr", 24), Map.of()),
            new Spec("kvm_guest_debug", KvmGuestDebug.class, 72, offsets("control", 0, "pad", 4, "debugreg", 8),
                    Map.of("debugreg", "arch.debugreg")),
            new Spec("kvm_enable_cap", KvmEnableCap.class, 104, offsets("cap", 0, "flags", 4, "args", 8, "pad", 40),
                    Map.of()),
            new Spec("kvm_msr_entry", KvmMsrEntry.class, 16, offsets("index", 0, "reserved", 4, "data", 8), Map.of()),
            new Spec("kvm_msrs", KvmMsrs.class, 8, offsets("nmsrs", 0, "pad", 4), Map.of()),
            new Spec("kvm_msr_filter_range", KvmMsrFilterRange.class, 24, offsets("flags", 0, "nmsrs", 4, "base", 8,
                    "bitmap", 16), Map.of()),
            new Spec("kvm_msr_filter", KvmMsrFilter.class, 392, offsets("flags", 0, "ranges", 8), Map.of()),
            new Spec("kvm_cpuid_entry2", KvmCpuidEntry2.class, 40, offsets("function", 0, "index", 4, "flags", 8,
                    "eax", 12, "ebx", 16, "ecx", 20, "edx", 24, "padding", 28), Map.of()),
            new Spec("kvm_cpuid2", KvmCpuid2.class, 8, offsets("nent", 0, "padding", 4), Map.of()),
            new Spec("kvm_irq_level", KvmIrqLevel.class, 8, offsets("irq", 0, "level", 4), Map.of())
    );

    private static Map<String, String> cNamesForEvents() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : List.of("exception_injected", "exception_nr", "exception_has_error_code", "exception_pending",
                "exception_error_code", "interrupt_injected", "interrupt_nr", "interrupt_soft", "interrupt_shadow",
                "nmi_injected", "nmi_pending", "nmi_masked", "nmi_pad", "smi_smm", "smi_pending",
                "smi_smm_inside_nmi", "smi_latched_init", "triple_fault_pending")) {
            int u = f.indexOf('_');
            String group = f.startsWith("triple_fault") ? "triple_fault" : f.substring(0, u);
            String member = f.substring(group.length() + 1);
            m.put(f, group + "." + member);
        }
        return m;
    }

    private static Structure instance(Class<? extends Structure> c) throws Exception {
        return c.getDeclaredConstructor().newInstance();
    }

    private static int offsetOf(Structure s, String field) throws Exception {
        var m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
        m.setAccessible(true);
        return (Integer) m.invoke(s, field);
    }

    @Test
    void everyStructMatchesTheKernelLayout() throws Exception {
        for (Spec spec : SPECS) {
            Structure s = instance(spec.type());
            assertThat(s.size()).as("sizeof(struct %s)", spec.cStruct()).isEqualTo(spec.size());
            for (var e : spec.offsets().entrySet()) {
                assertThat(offsetOf(s, e.getKey())).as("offsetof(%s, %s)", spec.cStruct(), e.getKey())
                        .isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void everyDeclaredFieldIsChecked() {
        for (Spec spec : SPECS) {
            List<String> declared = new ArrayList<>();
            for (Field f : spec.type().getFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    declared.add(f.getName());
                }
            }
            if (spec.type() == KvmRegs.class) {
                continue; // r9..r14 follow from r8 and r15 being right
            }
            assertThat(spec.offsets().keySet()).as("fields of %s with a checked offset", spec.cStruct())
                    .containsAll(declared);
        }
    }

    /** Every offset vmscope reads or writes in the mmap'd kvm_run, by the C member it stands for. */
    private static final Map<String, Integer> KVM_RUN = new LinkedHashMap<>();

    static {
        KVM_RUN.put("request_interrupt_window", KvmRunLayout.REQUEST_INTERRUPT_WINDOW);
        KVM_RUN.put("immediate_exit", KvmRunLayout.IMMEDIATE_EXIT);
        KVM_RUN.put("exit_reason", KvmRunLayout.EXIT_REASON);
        KVM_RUN.put("ready_for_interrupt_injection", KvmRunLayout.READY_FOR_INTERRUPT_INJECTION);
        KVM_RUN.put("if_flag", KvmRunLayout.IF_FLAG);
        KVM_RUN.put("flags", KvmRunLayout.FLAGS);
        KVM_RUN.put("cr8", KvmRunLayout.CR8);
        KVM_RUN.put("apic_base", KvmRunLayout.APIC_BASE);
        KVM_RUN.put("io", KvmRunLayout.EXIT_UNION);
        KVM_RUN.put("io.direction", KvmRunLayout.IO_DIRECTION);
        KVM_RUN.put("io.size", KvmRunLayout.IO_SIZE);
        KVM_RUN.put("io.port", KvmRunLayout.IO_PORT);
        KVM_RUN.put("io.count", KvmRunLayout.IO_COUNT);
        KVM_RUN.put("io.data_offset", KvmRunLayout.IO_DATA_OFFSET);
        KVM_RUN.put("mmio.phys_addr", KvmRunLayout.MMIO_PHYS_ADDR);
        KVM_RUN.put("mmio.data", KvmRunLayout.MMIO_DATA);
        KVM_RUN.put("mmio.len", KvmRunLayout.MMIO_LEN);
        KVM_RUN.put("mmio.is_write", KvmRunLayout.MMIO_IS_WRITE);
        KVM_RUN.put("msr.error", KvmRunLayout.MSR_ERROR);
        KVM_RUN.put("msr.reason", KvmRunLayout.MSR_REASON);
        KVM_RUN.put("msr.index", KvmRunLayout.MSR_INDEX);
        KVM_RUN.put("msr.data", KvmRunLayout.MSR_DATA);
        KVM_RUN.put("kvm_valid_regs", KvmRunLayout.KVM_VALID_REGS);
        KVM_RUN.put("kvm_dirty_regs", KvmRunLayout.KVM_DIRTY_REGS);
        KVM_RUN.put("s.regs.regs", KvmRunLayout.SYNC_REGS);
        KVM_RUN.put("s.regs.sregs", KvmRunLayout.SYNC_SREGS);
        KVM_RUN.put("s.regs.events", KvmRunLayout.SYNC_EVENTS);
    }

    @Test
    void kvmRunOffsetsMatchTheKernelLayout() throws Exception {
        Map<String, Long> c = compileAndRun(kvmRunProgram());
        for (Map.Entry<String, Integer> e : KVM_RUN.entrySet()) {
            assertThat(e.getValue()).as("offsetof(struct kvm_run, %s)", e.getKey()).isEqualTo(c.get(e.getKey()).intValue());
        }
        assertThat(KvmRunLayout.SYNC_END).as("end of the sync-regs area we read")
                .isEqualTo((int) (c.get("s.regs.events") + c.get("sizeof events")));
    }

    @Test
    void structsMatchTheInstalledHeaders() throws Exception {
        StringBuilder p = new StringBuilder(CHeaders.PROLOGUE);
        for (Spec spec : SPECS) {
            p.append(String.format("  P(\"%s\", sizeof(struct %s));%n", spec.cStruct(), spec.cStruct()));
            for (String f : spec.offsets().keySet()) {
                String member = spec.cNames().getOrDefault(f, f);
                p.append(String.format("  P(\"%s.%s\", offsetof(struct %s, %s));%n", spec.cStruct(), f,
                        spec.cStruct(), member));
            }
        }
        p.append("  return 0;\n}\n");
        Map<String, Long> c = compileAndRun(p.toString());
        for (Spec spec : SPECS) {
            Structure s = instance(spec.type());
            assertThat(s.size()).as("sizeof(struct %s) in the headers", spec.cStruct()).isEqualTo(c.get(spec.cStruct()).intValue());
            for (String f : spec.offsets().keySet()) {
                assertThat(offsetOf(s, f)).as("offsetof(%s, %s) in the headers", spec.cStruct(), f)
                        .isEqualTo(c.get(spec.cStruct() + "." + f).intValue());
            }
        }
    }

    /** Every ioctl number and capability in KvmIoctls that linux/kvm.h defines, against the header's own macro. */
    @Test
    void ioctlNumbersMatchTheInstalledHeaders() throws Exception {
        Map<String, Long> ours = new LinkedHashMap<>();
        for (Field f : KvmIoctls.class.getFields()) {
            if (f.getName().startsWith("KVM_") && (f.getType() == long.class || f.getType() == int.class)) {
                ours.put(f.getName(), ((Number) f.get(null)).longValue());
            }
        }
        StringBuilder p = new StringBuilder(CHeaders.PROLOGUE);
        for (String name : ours.keySet()) {
            p.append(String.format("#ifdef %s%n  P(\"%s\", %s);%n#endif%n", name, name, name));
        }
        Map<String, Long> c = compileAndRun(p.append("  return 0;\n}\n").toString());
        assertThat(c).as("names the header defines").containsKeys("KVM_X86_SETUP_MCE",
                "KVM_X86_GET_MCE_CAP_SUPPORTED", "KVM_CAP_MCE", "KVM_RUN");
        for (var e : c.entrySet()) {
            assertThat(ours.get(e.getKey()) & 0xFFFFFFFFL).as("%s", e.getKey()).isEqualTo(e.getValue());
        }
    }

    private static String kvmRunProgram() {
        StringBuilder p = new StringBuilder(CHeaders.PROLOGUE);
        for (String m : KVM_RUN.keySet()) {
            p.append(String.format("  P(\"%s\", offsetof(struct kvm_run, %s));%n", m, m));
        }
        p.append("  P(\"sizeof events\", sizeof(struct kvm_vcpu_events));\n");
        return p.append("  return 0;\n}\n").toString();
    }

    private static Map<String, Long> compileAndRun(String program) throws IOException, InterruptedException {
        return CHeaders.run(program);
    }
}
