package dev.vmscope.engine.sys;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ioctl numbers KvmIoctls derives from direction, type, number and the Structure's size against the
 * numbers the kernel documents (Documentation/virt/kvm/api.rst, linux/kvm.h as built for x86-64). The
 * installed headers are compared by StructLayoutTest.
 */
class KvmIoctlsTest {
    private static final Map<String, Long> DOCUMENTED = new LinkedHashMap<>();

    static {
        DOCUMENTED.put("KVM_GET_API_VERSION", 0xAE00L);
        DOCUMENTED.put("KVM_CREATE_VM", 0xAE01L);
        DOCUMENTED.put("KVM_CHECK_EXTENSION", 0xAE03L);
        DOCUMENTED.put("KVM_GET_VCPU_MMAP_SIZE", 0xAE04L);
        DOCUMENTED.put("KVM_GET_SUPPORTED_CPUID", 0xC008AE05L);
        DOCUMENTED.put("KVM_CREATE_VCPU", 0xAE41L);
        DOCUMENTED.put("KVM_SET_USER_MEMORY_REGION", 0x4020AE46L);
        DOCUMENTED.put("KVM_SET_TSS_ADDR", 0xAE47L);
        DOCUMENTED.put("KVM_SET_IDENTITY_MAP_ADDR", 0x4008AE48L);
        DOCUMENTED.put("KVM_CREATE_IRQCHIP", 0xAE60L);
        DOCUMENTED.put("KVM_IRQ_LINE", 0x4008AE61L);
        DOCUMENTED.put("KVM_CREATE_PIT2", 0x4040AE77L);
        DOCUMENTED.put("KVM_RUN", 0xAE80L);
        DOCUMENTED.put("KVM_GET_REGS", 0x8090AE81L);
        DOCUMENTED.put("KVM_SET_REGS", 0x4090AE82L);
        DOCUMENTED.put("KVM_GET_SREGS", 0x8138AE83L);
        DOCUMENTED.put("KVM_SET_SREGS", 0x4138AE84L);
        DOCUMENTED.put("KVM_GET_MSRS", 0xC008AE88L);
        DOCUMENTED.put("KVM_SET_MSRS", 0x4008AE89L);
        DOCUMENTED.put("KVM_SET_CPUID2", 0x4008AE90L);
        DOCUMENTED.put("KVM_GET_MP_STATE", 0x8004AE98L);
        DOCUMENTED.put("KVM_SET_MP_STATE", 0x4004AE99L);
        DOCUMENTED.put("KVM_SET_GUEST_DEBUG", 0x4048AE9BL);
        DOCUMENTED.put("KVM_X86_SETUP_MCE", 0x4008AE9CL);
        DOCUMENTED.put("KVM_X86_GET_MCE_CAP_SUPPORTED", 0x8008AE9DL);
        DOCUMENTED.put("KVM_GET_VCPU_EVENTS", 0x8040AE9FL);
        DOCUMENTED.put("KVM_SET_VCPU_EVENTS", 0x4040AEA0L);
        DOCUMENTED.put("KVM_GET_DEBUGREGS", 0x8080AEA1L);
        DOCUMENTED.put("KVM_SET_DEBUGREGS", 0x4080AEA2L);
        DOCUMENTED.put("KVM_ENABLE_CAP", 0x4068AEA3L);
        DOCUMENTED.put("KVM_X86_SET_MSR_FILTER", 0x4188AEC6L);
    }

    @Test
    void derivedNumbersAreTheDocumentedOnes() throws Exception {
        for (Map.Entry<String, Long> e : DOCUMENTED.entrySet()) {
            assertThat(derived(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void everyIoctlIsChecked() {
        long declared = java.util.Arrays.stream(KvmIoctls.class.getFields())
                .filter(f -> f.getType() == long.class && f.getName().startsWith("KVM_")
                        && !f.getName().startsWith("KVM_SYNC_") && !f.getName().startsWith("KVM_MSR_EXIT_"))
                .count();
        assertThat(DOCUMENTED).hasSize((int) declared);
    }

    @Test
    void theSizeBitsAreChecked() {
        assertThat(KvmIoctls.iow(0x46, 32)).isEqualTo(0x4020AE46L);
        assertThat(KvmIoctls.iow(0x46, 33)).as("a wrong size changes the number").isNotEqualTo(0x4020AE46L);
        assertThatThrownBy(() -> KvmIoctls.ior(0x81, 1 << 14)).isInstanceOf(IllegalArgumentException.class);
    }

    private static long derived(String name) throws ReflectiveOperationException {
        return KvmIoctls.class.getField(name).getLong(null);
    }
}
