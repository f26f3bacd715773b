package dev.vmscope.engine.machine;

import dev.vmscope.engine.config.CpuMode;
import dev.vmscope.engine.kvm.GuestMemory;
import dev.vmscope.engine.kvm.Vcpu;
import dev.vmscope.engine.machine.boot.BootPlan;
import dev.vmscope.engine.machine.boot.ElfLoader;
import dev.vmscope.engine.machine.boot.LinuxLoader;
import dev.vmscope.engine.machine.boot.MultibootLoader;
import dev.vmscope.engine.machine.boot.RamLayout;
import dev.vmscope.engine.sys.KvmRegs;
import dev.vmscope.engine.sys.KvmSegment;
import dev.vmscope.engine.sys.KvmSregs;

/**
 * Loads a flat image and puts each vCPU in the requested mode. For protected and long mode the loader
 * owns the top {@link #RESERVED_TOP} bytes of RAM below the PCI hole: for long mode the page tables (PML4, PDPT
 * and four page directories identity-mapping the 4 GiB below {@link RamLayout#IDENTITY_MAPPED} with 2 MiB pages),
 * then the GDT in the last page.
 */
public final class Loader {
    /** Page directories the long-mode identity map needs: one per GiB. */
    private static final int PAGE_DIRECTORIES = (int) (RamLayout.IDENTITY_MAPPED >>> 30);
    public static final long RESERVED_TOP = (2 + PAGE_DIRECTORIES + 1) * 0x1000L;

    /** GDT selectors; 0x10/0x18 are also what the Linux 64-bit boot protocol wants (__BOOT_CS, __BOOT_DS). */
    static final int CODE32 = 0x08;
    static final int CODE64 = 0x10;
    static final int DATA = 0x18;

    private static final long CR0_PE = 1;
    private static final long CR0_ET = 1 << 4;
    private static final long CR0_PG = 1L << 31;
    private static final long CR4_PAE = 1 << 5;
    private static final long EFER_LME = 1 << 8;
    private static final long EFER_LMA = 1 << 10;

    private Loader() {
    }

    /**
     * Loads the guest with its boot protocol, then writes the loader's GDT and (for long mode) page tables.
     * Returns where and how the boot vCPU starts.
     */
    public static BootPlan load(MachineConfig c, GuestMemory mem) {
        BootPlan plan = switch (c.boot()) {
            case FLAT -> {
                mem.write(c.load(), c.image());
                yield new BootPlan(c.mode(), c.entry(), 0, 0, 0, String.format("flat image, %d bytes at 0x%x, %s mode",
                        c.image().length, c.load(), c.mode().name().toLowerCase()));
            }
            case ELF -> ElfLoader.plan(c.image(), mem, reservedBase(mem));
            case MULTIBOOT -> MultibootLoader.plan(c.image(), mem, RESERVED_TOP, c.name(), c.cmdline(), c.initrd());
            case LINUX -> LinuxLoader.plan(c.image(), mem, RESERVED_TOP, c.cmdline(), c.initrd());
        };
        writeTables(plan.mode(), mem);
        return plan;
    }

    private static void writeTables(CpuMode mode, GuestMemory mem) {
        if (mode != CpuMode.REAL) {
            long gdt = gdtAddress(mem);
            mem.writeLong(gdt, 0);
            mem.writeLong(gdt + CODE32, 0x00CF9B000000FFFFL);  // flat 32-bit code, accessed
            mem.writeLong(gdt + CODE64, 0x00AF9B000000FFFFL);  // 64-bit code (L=1)
            mem.writeLong(gdt + DATA, 0x00CF93000000FFFFL);    // flat data, accessed
        }
        if (mode == CpuMode.LONG) {
            long pml4 = pml4Address(mem);
            long pdpt = pml4 + 0x1000;
            for (int i = 0; i < 512; i++) {
                mem.writeLong(pml4 + i * 8L, 0);
                mem.writeLong(pdpt + i * 8L, 0);
            }
            for (int g = 0; g < PAGE_DIRECTORIES; g++) {
                long pd = pdpt + (1 + g) * 0x1000L;
                for (int i = 0; i < 512; i++) {
                    long page = ((long) g << 30) | ((long) i << 21);
                    mem.writeLong(pd + i * 8L, page | 0x83);   // present, writable, 2 MiB page
                }
                mem.writeLong(pdpt + g * 8L, pd | 0x3);
            }
            mem.writeLong(pml4, pdpt | 0x3);
        }
    }

    /** The start of the loader's block; kernels and flat images end below it, the boot stacks grow down from it. */
    public static long reservedBase(GuestMemory mem) {
        return RamLayout.reservedBase(mem.size(), RESERVED_TOP);
    }

    static long gdtAddress(GuestMemory mem) {
        return reservedBase(mem) + RESERVED_TOP - 0x1000;
    }

    static long pml4Address(GuestMemory mem) {
        return reservedBase(mem);
    }

    /** Sets vCPU {@code index}'s registers for the plan's mode and entry point. */
    public static void setupCpu(BootPlan plan, GuestMemory mem, Vcpu vcpu, int index) {
        KvmSregs s = new KvmSregs();
        vcpu.getSregs(s);
        KvmRegs r = new KvmRegs();
        r.rflags = 0x2;
        r.rax = plan.rax();
        r.rbx = plan.rbx();
        r.rsi = plan.rsi();
        switch (plan.mode()) {
            case REAL -> {
                long entry = plan.entry();
                int cs = entry > 0xFFFF ? (int) (entry >>> 4) : 0;
                realSegment(s.cs, cs);
                for (KvmSegment seg : new KvmSegment[]{s.ds, s.es, s.ss, s.fs, s.gs}) {
                    realSegment(seg, 0);
                }
                r.rip = entry - ((long) cs << 4);
                r.rsp = 0xFFF0;
            }
            case PROTECTED, LONG -> {
                boolean lm = plan.mode() == CpuMode.LONG;
                flatSegment(s.cs, lm ? CODE64 : CODE32, 0xB, !lm, lm);
                for (KvmSegment seg : new KvmSegment[]{s.ds, s.es, s.ss, s.fs, s.gs}) {
                    flatSegment(seg, DATA, 0x3, true, false);
                }
                s.tr.selector = 0;
                s.tr.base = 0;
                s.tr.limit = 0x67;
                s.tr.type = 11;     // busy 32/64-bit TSS: what VM entry requires
                s.tr.present = 1;
                s.tr.s = 0;
                s.tr.unusable = 0;
                s.gdt.base = gdtAddress(mem);
                s.gdt.limit = (short) (DATA + 7);
                s.cr0 = CR0_PE | CR0_ET;
                if (lm) {
                    s.cr3 = pml4Address(mem);
                    s.cr4 = CR4_PAE;
                    s.cr0 |= CR0_PG;
                    s.efer = EFER_LME | EFER_LMA;
                }
                r.rip = plan.entry();
                r.rsp = reservedBase(mem) - index * 0x2000L;
            }
        }
        vcpu.setSregs(s);
        vcpu.setRegs(r);
    }

    private static void realSegment(KvmSegment seg, int selector) {
        seg.selector = (short) selector;
        seg.base = (long) selector << 4;
        seg.limit = 0xFFFF;
    }

    private static void flatSegment(KvmSegment seg, int selector, int type, boolean db, boolean l) {
        seg.selector = (short) selector;
        seg.base = 0;
        seg.limit = 0xFFFFFFFF;
        seg.type = (byte) type;
        seg.present = 1;
        seg.dpl = 0;
        seg.db = (byte) (db ? 1 : 0);
        seg.s = 1;
        seg.l = (byte) (l ? 1 : 0);
        seg.g = 1;
        seg.avl = 0;
        seg.unusable = 0;
    }
}
