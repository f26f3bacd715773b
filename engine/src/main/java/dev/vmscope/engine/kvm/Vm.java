package dev.vmscope.engine.kvm;

import com.sun.jna.Memory;
import dev.vmscope.engine.sys.KvmEnableCap;
import dev.vmscope.engine.sys.KvmIrqLevel;
import dev.vmscope.engine.sys.KvmMsrFilter;
import dev.vmscope.engine.sys.KvmUserspaceMemoryRegion;

import static dev.vmscope.engine.sys.KvmIoctls.*;

/** A VM file descriptor: memory slots, vCPUs and VM-wide capabilities. */
public final class Vm extends Fd {
    private final Kvm kvm;

    Vm(Kvm kvm, int fd) {
        super(fd);
        this.kvm = kvm;
    }

    public Kvm kvm() {
        return kvm;
    }

    public int checkExtension(int cap) {
        return ioctl("KVM_CHECK_EXTENSION", KVM_CHECK_EXTENSION, cap);
    }

    /** Maps every region of {@code memory} into the guest at its address, region i in memory slot i. */
    public void mapMemory(GuestMemory memory) {
        int slot = 0;
        for (GuestMemory.Region region : memory.regions()) {
            KvmUserspaceMemoryRegion r = new KvmUserspaceMemoryRegion();
            r.slot = slot++;
            r.guest_phys_addr = region.guestPhys();
            r.memory_size = region.size();
            r.userspace_addr = memory.hostAddress(region);
            ioctl("KVM_SET_USER_MEMORY_REGION", KVM_SET_USER_MEMORY_REGION, r);
        }
    }

    public void setTssAddr(long addr) {
        ioctl("KVM_SET_TSS_ADDR", KVM_SET_TSS_ADDR, addr);
    }

    public void setIdentityMapAddr(long addr) {
        Memory m = new Memory(IDENTITY_MAP_ADDR_SIZE);
        m.setLong(0, addr);
        ioctl("KVM_SET_IDENTITY_MAP_ADDR", KVM_SET_IDENTITY_MAP_ADDR, m);
    }

    public void createIrqchip() {
        ioctl("KVM_CREATE_IRQCHIP", KVM_CREATE_IRQCHIP, 0);
    }

    public void createPit2() {
        Memory m = new Memory(PIT_CONFIG_SIZE);
        m.clear();
        ioctl("KVM_CREATE_PIT2", KVM_CREATE_PIT2, m);
    }

    public void irqLine(int irq, boolean high) {
        KvmIrqLevel l = new KvmIrqLevel();
        l.irq = irq;
        l.level = high ? 1 : 0;
        ioctl("KVM_IRQ_LINE", KVM_IRQ_LINE, l);
    }

    public void enableCap(int cap, long arg0) {
        KvmEnableCap c = new KvmEnableCap();
        c.cap = cap;
        c.args[0] = arg0;
        ioctl("KVM_ENABLE_CAP", KVM_ENABLE_CAP, c);
    }

    /**
     * Makes every RDMSR and WRMSR the filter covers exit to user space: KVM_CAP_X86_USER_SPACE_MSR for filtered
     * accesses plus a default-deny filter with no allow ranges. x2APIC MSRs are never filtered (KVM's rule).
     */
    public void trapAllMsrs() {
        enableCap(KVM_CAP_X86_USER_SPACE_MSR, KVM_MSR_EXIT_REASON_FILTER | KVM_MSR_EXIT_REASON_UNKNOWN
                | KVM_MSR_EXIT_REASON_INVAL);
        // KVM refuses a default-deny filter without ranges, so give it one range that denies MSR 0 too
        Memory deny = new Memory(8);
        deny.clear();
        KvmMsrFilter f = new KvmMsrFilter();
        f.flags = KVM_MSR_FILTER_DEFAULT_DENY;
        f.ranges[0].flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE;
        f.ranges[0].base = 0;
        f.ranges[0].nmsrs = 1;
        f.ranges[0].bitmap = deny;
        ioctl("KVM_X86_SET_MSR_FILTER", KVM_X86_SET_MSR_FILTER, f);
    }

    public Vcpu createVcpu(int id) {
        int vcpufd = ioctl("KVM_CREATE_VCPU", KVM_CREATE_VCPU, id);
        return new Vcpu(this, id, vcpufd, kvm.vcpuMmapSize());
    }
}
