package dev.vmscope.engine.vmcs;

import static dev.vmscope.engine.vmcs.FieldSource.captured;
import static dev.vmscope.engine.vmcs.FieldSource.derived;
import static dev.vmscope.engine.vmcs.FieldSource.notCaptured;
import static dev.vmscope.engine.vmcs.FieldSource.notVisible;
import static dev.vmscope.engine.vmcs.VmcbField.Area.CONTROL;
import static dev.vmscope.engine.vmcs.VmcbField.Area.SAVE;

/**
 * The AMD VMCB fields vmscope shows (APM Vol. 2, appendix "Layout of VMCB"): the control area at 0x000 and
 * the state-save area at 0x400. Offsets are from the start of the VMCB. Reserved areas and the SEV-ES-only
 * tail of the save area are left out.
 */
public enum VmcbField {
    INTERCEPT_CR(0x000, 4, CONTROL,
            "Intercepts of CR reads (bits 15:0) and CR writes (bits 31:16)",
            notVisible(Why.KVM_CONTROL)),
    INTERCEPT_DR(0x004, 4, CONTROL,
            "Intercepts of DR reads (bits 15:0) and DR writes (bits 31:16)",
            notVisible(Why.KVM_CONTROL)),
    INTERCEPT_EXCEPTIONS(0x008, 4, CONTROL,
            "One bit per exception vector that exits",
            notVisible(Why.KVM_CONTROL)),
    INTERCEPT_MISC1(0x00C, 4, CONTROL,
            "Intercepts: INTR, NMI, SMI, INIT, VINTR, CR0 writes, ... IOIO_PROT (27), MSR_PROT (28), SHUTDOWN (31)",
            notVisible(Why.KVM_CONTROL)),
    INTERCEPT_MISC2(0x010, 4, CONTROL,
            "Intercepts: VMRUN, VMMCALL, VMLOAD, VMSAVE, STGI, CLGI, SKINIT, RDTSCP, ICEBP, WBINVD, MONITOR, MWAIT, XSETBV, ...",
            notVisible(Why.KVM_CONTROL)),
    INTERCEPT_MISC3(0x014, 4, CONTROL,
            "Intercepts: INVLPGB, INVPCID, MCOMMIT, TLBSYNC, bus lock, ...",
            notVisible(Why.KVM_CONTROL)),
    PAUSE_FILTER_THRESHOLD(0x03C, 2, CONTROL,
            "Cycles between PAUSEs that still count as one spin loop",
            notVisible(Why.KVM_CONTROL)),
    PAUSE_FILTER_COUNT(0x03E, 2, CONTROL,
            "PAUSEs allowed before the PAUSE intercept fires",
            notVisible(Why.KVM_CONTROL)),
    IOPM_BASE_PA(0x040, 8, CONTROL,
            "Physical address of the I/O permission map (which ports exit)",
            notVisible(Why.KVM_ADDRESS)),
    MSRPM_BASE_PA(0x048, 8, CONTROL,
            "Physical address of the MSR permission map",
            notVisible(Why.KVM_ADDRESS)),
    TSC_OFFSET(0x050, 8, CONTROL,
            "Value added to the host TSC when the guest reads its TSC",
            notCaptured("KVM reports it as the vCPU attribute KVM_VCPU_TSC_OFFSET (KVM_GET_DEVICE_ATTR); vmscope does not read it")),
    GUEST_ASID(0x058, 4, CONTROL,
            "Address-space ID that tags this guest's TLB entries",
            notVisible(Why.KVM_CONTROL)),
    TLB_CONTROL(0x05C, 1, CONTROL,
            "TLB flush request for the next VMRUN",
            notVisible(Why.KVM_CONTROL)),
    INT_CTL(0x060, 8, CONTROL,
            "Virtual interrupt control: V_TPR, V_IRQ, V_INTR_PRIO, V_INTR_MASKING, AVIC enable, V_INTR_VECTOR",
            notVisible(Why.APICV)),
    INT_STATE(0x068, 8, CONTROL,
            "Interrupt shadow (bit 0) and guest interrupt mask (bit 1)",
            derived("vcpu_events interrupt.shadow (either shadow kind sets bit 0)")),
    EXIT_CODE(0x070, 8, CONTROL,
            "Why the guest left: the SVM exit code",
            derived("mapped from the KVM exit reason")),
    EXIT_INFO_1(0x078, 8, CONTROL,
            "First exit-specific value (IOIO port and flags, MSR direction, #NPF error code, ...)",
            derived("rebuilt from the KVM exit payload")),
    EXIT_INFO_2(0x080, 8, CONTROL,
            "Second exit-specific value (next RIP for IOIO, faulting address for #NPF, ...)",
            derived("rebuilt from the KVM exit payload")),
    EXIT_INT_INFO(0x088, 8, CONTROL,
            "Event whose delivery the exit interrupted (error code in bits 63:32)",
            derived("invalid for exits caused by executing an instruction; otherwise kept in the kernel")),
    NESTED_CTL(0x090, 8, CONTROL,
            "Nested paging enable and SEV / SEV-ES enables",
            notVisible(Why.KVM_CONTROL)),
    AVIC_VAPIC_BAR(0x098, 8, CONTROL,
            "Guest-physical address of the virtual APIC page (AVIC)",
            notVisible(Why.APICV)),
    GHCB_GPA(0x0A0, 8, CONTROL,
            "Guest-physical address of the GHCB (SEV-ES)",
            notVisible(Why.KVM_CONTROL)),
    EVENT_INJ(0x0A8, 8, CONTROL,
            "Event to inject on the next VMRUN (error code in bits 63:32)",
            notVisible(Why.KVM_CONTROL)),
    NESTED_CR3(0x0B0, 8, CONTROL,
            "Root of the nested page tables (guest-physical to host-physical)",
            notVisible(Why.KVM_CONTROL)),
    VIRT_EXT(0x0B8, 8, CONTROL,
            "LBR virtualisation and VMSAVE/VMLOAD virtualisation enables",
            notVisible(Why.KVM_CONTROL)),
    VMCB_CLEAN(0x0C0, 4, CONTROL,
            "Which VMCB areas are unchanged since the last VMRUN (hardware may skip reloading them)",
            notVisible(Why.KVM_CONTROL)),
    NEXT_RIP(0x0C8, 8, CONTROL,
            "RIP of the instruction after the one that exited (next-RIP save)",
            derived("captured RIP plus the instruction length")),
    INSN_LEN(0x0D0, 1, CONTROL,
            "Number of instruction bytes the CPU fetched for a #NPF or #PF exit (decode assists)",
            derived("length of the instruction bytes vmscope was given at RIP, at most 15")),
    INSN_BYTES(0x0D1, 15, CONTROL,
            "The instruction bytes themselves (decode assists)",
            notCaptured("vmscope does not repeat the bytes here; its disassembly view shows the instruction at RIP")),
    AVIC_BACKING_PAGE(0x0E0, 8, CONTROL,
            "Physical address of the AVIC backing page",
            notVisible(Why.KVM_ADDRESS)),
    AVIC_LOGICAL_ID(0x0F0, 8, CONTROL,
            "Physical address of the AVIC logical-ID table",
            notVisible(Why.KVM_ADDRESS)),
    AVIC_PHYSICAL_ID(0x0F8, 8, CONTROL,
            "Physical address of the AVIC physical-ID table",
            notVisible(Why.KVM_ADDRESS)),
    VMSA_PA(0x108, 8, CONTROL,
            "Physical address of the encrypted save area (SEV-ES)",
            notVisible(Why.KVM_ADDRESS)),
    ES_SELECTOR(0x400, 2, SAVE,
            "Guest ES selector",
            captured("kvm_sregs.es.selector")),
    ES_ATTRIB(0x402, 2, SAVE,
            "Guest ES attributes in SVM format (12 bits)",
            captured("kvm_sregs.es attributes, packed in the SVM layout")),
    ES_LIMIT(0x404, 4, SAVE,
            "Guest ES limit in bytes",
            captured("kvm_sregs.es.limit")),
    ES_BASE(0x408, 8, SAVE,
            "Guest ES base",
            captured("kvm_sregs.es.base")),
    CS_SELECTOR(0x410, 2, SAVE,
            "Guest CS selector",
            captured("kvm_sregs.cs.selector")),
    CS_ATTRIB(0x412, 2, SAVE,
            "Guest CS attributes in SVM format (12 bits)",
            captured("kvm_sregs.cs attributes, packed in the SVM layout")),
    CS_LIMIT(0x414, 4, SAVE,
            "Guest CS limit in bytes",
            captured("kvm_sregs.cs.limit")),
    CS_BASE(0x418, 8, SAVE,
            "Guest CS base",
            captured("kvm_sregs.cs.base")),
    SS_SELECTOR(0x420, 2, SAVE,
            "Guest SS selector",
            captured("kvm_sregs.ss.selector")),
    SS_ATTRIB(0x422, 2, SAVE,
            "Guest SS attributes in SVM format (12 bits)",
            captured("kvm_sregs.ss attributes, packed in the SVM layout")),
    SS_LIMIT(0x424, 4, SAVE,
            "Guest SS limit in bytes",
            captured("kvm_sregs.ss.limit")),
    SS_BASE(0x428, 8, SAVE,
            "Guest SS base",
            captured("kvm_sregs.ss.base")),
    DS_SELECTOR(0x430, 2, SAVE,
            "Guest DS selector",
            captured("kvm_sregs.ds.selector")),
    DS_ATTRIB(0x432, 2, SAVE,
            "Guest DS attributes in SVM format (12 bits)",
            captured("kvm_sregs.ds attributes, packed in the SVM layout")),
    DS_LIMIT(0x434, 4, SAVE,
            "Guest DS limit in bytes",
            captured("kvm_sregs.ds.limit")),
    DS_BASE(0x438, 8, SAVE,
            "Guest DS base",
            captured("kvm_sregs.ds.base")),
    FS_SELECTOR(0x440, 2, SAVE,
            "Guest FS selector",
            captured("kvm_sregs.fs.selector")),
    FS_ATTRIB(0x442, 2, SAVE,
            "Guest FS attributes in SVM format (12 bits)",
            captured("kvm_sregs.fs attributes, packed in the SVM layout")),
    FS_LIMIT(0x444, 4, SAVE,
            "Guest FS limit in bytes",
            captured("kvm_sregs.fs.limit")),
    FS_BASE(0x448, 8, SAVE,
            "Guest FS base",
            captured("kvm_sregs.fs.base")),
    GS_SELECTOR(0x450, 2, SAVE,
            "Guest GS selector",
            captured("kvm_sregs.gs.selector")),
    GS_ATTRIB(0x452, 2, SAVE,
            "Guest GS attributes in SVM format (12 bits)",
            captured("kvm_sregs.gs attributes, packed in the SVM layout")),
    GS_LIMIT(0x454, 4, SAVE,
            "Guest GS limit in bytes",
            captured("kvm_sregs.gs.limit")),
    GS_BASE(0x458, 8, SAVE,
            "Guest GS base",
            captured("kvm_sregs.gs.base")),
    GDTR_LIMIT(0x464, 4, SAVE,
            "Guest GDTR limit",
            captured("kvm_sregs.gdt.limit")),
    GDTR_BASE(0x468, 8, SAVE,
            "Guest GDTR base",
            captured("kvm_sregs.gdt.base")),
    LDTR_SELECTOR(0x470, 2, SAVE,
            "Guest LDTR selector",
            captured("kvm_sregs.ldt.selector")),
    LDTR_ATTRIB(0x472, 2, SAVE,
            "Guest LDTR attributes in SVM format (12 bits)",
            captured("kvm_sregs.ldt attributes, packed in the SVM layout")),
    LDTR_LIMIT(0x474, 4, SAVE,
            "Guest LDTR limit in bytes",
            captured("kvm_sregs.ldt.limit")),
    LDTR_BASE(0x478, 8, SAVE,
            "Guest LDTR base",
            captured("kvm_sregs.ldt.base")),
    IDTR_LIMIT(0x484, 4, SAVE,
            "Guest IDTR limit",
            captured("kvm_sregs.idt.limit")),
    IDTR_BASE(0x488, 8, SAVE,
            "Guest IDTR base",
            captured("kvm_sregs.idt.base")),
    TR_SELECTOR(0x490, 2, SAVE,
            "Guest TR selector",
            captured("kvm_sregs.tr.selector")),
    TR_ATTRIB(0x492, 2, SAVE,
            "Guest TR attributes in SVM format (12 bits)",
            captured("kvm_sregs.tr attributes, packed in the SVM layout")),
    TR_LIMIT(0x494, 4, SAVE,
            "Guest TR limit in bytes",
            captured("kvm_sregs.tr.limit")),
    TR_BASE(0x498, 8, SAVE,
            "Guest TR base",
            captured("kvm_sregs.tr.base")),
    CPL(0x4CB, 1, SAVE,
            "Current privilege level of the guest",
            derived("SS.DPL in protected mode, 0 in real mode, 3 in virtual-8086 mode")),
    EFER(0x4D0, 8, SAVE,
            "Guest EFER as the CPU runs it (SVME must be set)",
            derived("kvm_sregs.efer with SVME (bit 12) set, as KVM writes it")),
    CR4(0x548, 8, SAVE,
            "Guest CR4",
            captured("kvm_sregs.cr4")),
    CR3(0x550, 8, SAVE,
            "Guest CR3",
            captured("kvm_sregs.cr3")),
    CR0(0x558, 8, SAVE,
            "Guest CR0",
            captured("kvm_sregs.cr0")),
    DR7(0x560, 8, SAVE,
            "Guest DR7",
            captured("kvm_run.debug.arch.dr7 at a debug exit, else kvm_debugregs.dr7 (full level)")),
    DR6(0x568, 8, SAVE,
            "Guest DR6",
            captured("kvm_run.debug.arch.dr6 at a debug exit, else kvm_debugregs.dr6 (full level)")),
    RFLAGS(0x570, 8, SAVE,
            "Guest RFLAGS",
            captured("kvm_regs.rflags")),
    RIP(0x578, 8, SAVE,
            "Guest RIP",
            captured("kvm_regs.rip")),
    RSP(0x5D8, 8, SAVE,
            "Guest RSP",
            captured("kvm_regs.rsp")),
    S_CET(0x5E0, 8, SAVE,
            "Guest supervisor CET settings",
            notCaptured(Why.msrNotRead(0x6A2, "IA32_S_CET"))),
    SSP(0x5E8, 8, SAVE,
            "Guest shadow-stack pointer",
            notCaptured("newer kernels return it with KVM_GET_ONE_REG; vmscope does not read it")),
    ISST_ADDR(0x5F0, 8, SAVE,
            "Guest interrupt shadow-stack table address",
            notCaptured(Why.msrNotRead(0x6A8, "IA32_INTERRUPT_SSP_TABLE_ADDR"))),
    RAX(0x5F8, 8, SAVE,
            "Guest RAX (the only GPR the VMCB holds)",
            captured("kvm_regs.rax")),
    STAR(0x600, 8, SAVE,
            "Guest STAR: SYSCALL/SYSRET selectors",
            captured("MSR 0xC0000081 via KVM_GET_MSRS (full level)")),
    LSTAR(0x608, 8, SAVE,
            "Guest LSTAR: 64-bit SYSCALL entry point",
            captured("MSR 0xC0000082 via KVM_GET_MSRS (full level)")),
    CSTAR(0x610, 8, SAVE,
            "Guest CSTAR: compatibility-mode SYSCALL entry point",
            captured("MSR 0xC0000083 via KVM_GET_MSRS (full level)")),
    SFMASK(0x618, 8, SAVE,
            "Guest SFMASK: RFLAGS bits SYSCALL clears",
            captured("MSR 0xC0000084 via KVM_GET_MSRS (full level)")),
    KERNEL_GS_BASE(0x620, 8, SAVE,
            "Guest KernelGSBase, swapped in by SWAPGS",
            captured("MSR 0xC0000102 via KVM_GET_MSRS (full level)")),
    SYSENTER_CS(0x628, 8, SAVE,
            "Guest SYSENTER_CS",
            captured("MSR 0x174 via KVM_GET_MSRS (full level)")),
    SYSENTER_ESP(0x630, 8, SAVE,
            "Guest SYSENTER_ESP",
            captured("MSR 0x175 via KVM_GET_MSRS (full level)")),
    SYSENTER_EIP(0x638, 8, SAVE,
            "Guest SYSENTER_EIP",
            captured("MSR 0x176 via KVM_GET_MSRS (full level)")),
    CR2(0x640, 8, SAVE,
            "Guest CR2: last page-fault address",
            captured("kvm_sregs.cr2")),
    G_PAT(0x668, 8, SAVE,
            "Guest PAT used with nested paging",
            captured("MSR 0x277 via KVM_GET_MSRS (full level)")),
    DBGCTL(0x670, 8, SAVE,
            "Guest DebugCtl (with LBR virtualisation)",
            captured("MSR 0x1D9 via KVM_GET_MSRS (full level)")),
    BR_FROM(0x678, 8, SAVE,
            "Last branch source (with LBR virtualisation)",
            notCaptured(Why.msrNotRead(0x1DB, "LastBranchFromIP"))),
    BR_TO(0x680, 8, SAVE,
            "Last branch target (with LBR virtualisation)",
            notCaptured(Why.msrNotRead(0x1DC, "LastBranchToIP"))),
    LAST_EXCP_FROM(0x688, 8, SAVE,
            "Source of the last branch before an exception",
            notCaptured(Why.msrNotRead(0x1DD, "LastExceptionFromIP"))),
    LAST_EXCP_TO(0x690, 8, SAVE,
            "Target of the last branch before an exception",
            notCaptured(Why.msrNotRead(0x1DE, "LastExceptionToIP")));

    /** The two halves of a VMCB. */
    public enum Area {
        CONTROL("control"), SAVE("state save");

        private final String label;

        Area(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Where the state-save area starts. */
    public static final int SAVE_AREA = 0x400;

    private final int offset;
    private final int size;
    private final Area area;
    private final String description;
    private final FieldSource source;

    VmcbField(int offset, int size, Area area, String description, FieldSource source) {
        this.offset = offset;
        this.size = size;
        this.area = area;
        this.description = description;
        this.source = source;
    }

    /** Byte offset from the start of the VMCB. */
    public int offset() {
        return offset;
    }

    /** Size in bytes. */
    public int size() {
        return size;
    }

    public Area area() {
        return area;
    }

    public String description() {
        return description;
    }

    public FieldSource source() {
        return source;
    }

    public Provenance provenance() {
        return source.provenance();
    }

    /** "0x578" or, in the save area, "0x400+0x178". */
    public String location() {
        return area == Area.SAVE ? String.format("0x400+0x%03X", offset - SAVE_AREA) : String.format("0x%03X", offset);
    }
}
