package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.KvmExitReason;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each exit means, for the "why this exit happened" pane: one entry per KVM exit kind and one per Intel
 * exit reason vmscope maps to. Section references name chapters and sections by title because their numbers
 * move between SDM editions.
 */
public final class ExitExplanations {
    private static final String SDM = "Intel SDM Vol. 3C";
    private static final String API = "Linux Documentation/virt/kvm/api.rst";

    private static final Map<KvmExitReason, Explanation> KVM = new EnumMap<>(KvmExitReason.class);
    private static final Map<Integer, Explanation> VMX = new HashMap<>();

    static {
        kvm(KvmExitReason.UNKNOWN, "Unknown exit",
                "The guest did something that made the processor leave it for a reason KVM has no handler for.",
                "KVM could not classify the hardware exit, so it reports the raw hardware reason instead of handling it.",
                "A VMM usually stops the guest and prints the hardware reason; it is a KVM or hardware corner case, not guest behaviour to emulate.",
                API + ", KVM_EXIT_UNKNOWN");
        kvm(KvmExitReason.EXCEPTION, "Exception",
                "The guest raised a processor exception (vector and error code are in the exit).",
                "KVM intercepted the exception (exception bitmap) and could not or was told not to deliver it itself.",
                "The VMM decides: inject it back into the guest, or stop and show it, as a debugger does.",
                SDM + ", 'VMX Non-Root Operation': exceptions and the exception bitmap; 'VM Exits': VM-exit interruption information");
        kvm(KvmExitReason.IO, "Port I/O",
                "The guest executed IN, OUT, INS or OUTS on an I/O port.",
                "The port is not handled inside KVM (no in-kernel device claims it), so the I/O instruction exit goes to user space.",
                "The VMM's device model handles the access (an OUT is written to the device, an IN gets its value into the exit data) and re-enters; KVM then finishes the instruction.",
                SDM + ", 'VMX Non-Root Operation': IN/OUT and the I/O bitmaps; 'VM Exits': exit qualification for I/O instructions");
        kvm(KvmExitReason.HYPERCALL, "Hypercall",
                "The guest executed VMCALL (VMMCALL on AMD) to ask the hypervisor for a service.",
                "VMCALL always exits; KVM forwards the few hypercalls user space asked for (KVM_HC_MAP_GPA_RANGE) and handles the rest itself.",
                "The VMM performs the request, puts the result in the exit's ret field, and re-enters; KVM writes it to RAX and skips the VMCALL.",
                SDM + ", 'VMX Instruction Reference': VMCALL; " + API + ", KVM_EXIT_HYPERCALL");
        kvm(KvmExitReason.DEBUG, "Debug exit",
                "The guest hit a hardware breakpoint, completed a single step, or executed INT3 while a debugger was attached.",
                "vmscope enabled guest debugging, so KVM intercepts #DB/#BP and reports them instead of delivering them to the guest.",
                "The debugger shows where the guest stopped (DR6 says why) and resumes, stepping over the breakpoint if needed.",
                SDM + ", 'VM Exits': exit qualification for debug exceptions; Vol. 3B, 'Debug, Branch Profile, TSC and Intel RDT Features': DR6/DR7");
        kvm(KvmExitReason.HLT, "HLT",
                "The guest executed HLT: it has nothing to do until the next interrupt.",
                "HLT exiting is on, and without an in-kernel local APIC KVM cannot tell when an interrupt will wake the guest, so it returns to user space.",
                "The VMM waits until one of its devices raises an interrupt (or ends the run if none can) and re-enters with the interrupt injected.",
                SDM + ", 'VMX Non-Root Operation': HLT exiting; Vol. 2, HLT");
        kvm(KvmExitReason.MMIO, "Memory-mapped I/O",
                "The guest read or wrote a guest-physical address with no RAM behind it: a device register.",
                "The access missed KVM's memory slots (an EPT violation or misconfiguration), KVM decoded the instruction, and no in-kernel device claimed the address.",
                "The VMM's device model performs the read or write; for a read it fills the exit's data and KVM completes the instruction on re-entry.",
                SDM + ", 'VMX Support for Address Translation': EPT violations; 'VM Exits': exit qualification for EPT violations");
        kvm(KvmExitReason.IRQ_WINDOW_OPEN, "Interrupt window open",
                "The guest reached a point where it can take an external interrupt (RFLAGS.IF set, no STI/MOV SS shadow).",
                "The VMM asked for the window (request_interrupt_window) because it has an interrupt to inject and no in-kernel interrupt controller.",
                "The VMM injects the interrupt (KVM_INTERRUPT) and re-enters.",
                SDM + ", 'VMX Non-Root Operation': interrupt-window exiting; " + API + ", request_interrupt_window");
        kvm(KvmExitReason.SHUTDOWN, "Shutdown (triple fault)",
                "The guest faulted while delivering a double fault: a triple fault, which resets a real PC.",
                "A triple fault always exits in VMX (and is the SHUTDOWN intercept in SVM); KVM reports it because only the VMM can reset the machine.",
                "A VMM resets or stops the guest; a debugger shows the state, which usually points at a broken IDT, GDT or stack.",
                SDM + ", 'VMX Non-Root Operation': triple fault; Vol. 3A, 'Interrupt and Exception Handling': double fault");
        kvm(KvmExitReason.FAIL_ENTRY, "VM entry failed",
                "The guest did not run: the state KVM loaded for it failed the processor's entry checks.",
                "VM entry checks the guest-state area (segments, control registers, RIP, activity state); a failed check returns to the host at once.",
                "KVM cannot recover; the VMM reports the hardware reason. It usually means the VMM set inconsistent registers (e.g. a bad segment for the CPU mode).",
                SDM + ", 'VM Entries': checks on the guest-state area; 'VM-Entry Failures During or After Loading Guest State'");
        kvm(KvmExitReason.INTR, "Interrupted by a signal",
                "Nothing on the guest's side: the host interrupted the vCPU thread.",
                "A signal (vmscope's pause kick, sent with tgkill) reached the vCPU thread; in guest mode it arrives as a host interrupt that forces an exit.",
                "KVM_RUN returns EINTR; the vCPU thread handles its command (pause, step, stop) and re-enters when told to.",
                SDM + ", 'VMX Non-Root Operation': external-interrupt exiting; " + API + ", KVM_EXIT_INTR and immediate_exit");
        kvm(KvmExitReason.SET_TPR, "Set TPR (unused)",
                "Not produced by current x86 KVM.",
                "Old kernels used it to report guest writes to the task-priority register.",
                "Nothing to do.", API);
        kvm(KvmExitReason.TPR_ACCESS, "TPR access",
                "The guest read or wrote the local APIC's task-priority register.",
                "The VMM enabled TPR-access reporting (used to patch old guests that hammer the TPR), so KVM reports each access.",
                "The VMM records it (QEMU's kvmvapic patches the guest code) and re-enters.",
                SDM + ", 'APIC Virtualization and Virtual Interrupts': TPR virtualisation; " + API + ", KVM_TPR_ACCESS_REPORTING");
        kvm(KvmExitReason.NMI, "NMI (unused on x86)",
                "Not produced by x86 KVM.", "Reserved by KVM for other architectures.", "Nothing to do.", API);
        kvm(KvmExitReason.INTERNAL_ERROR, "KVM internal error",
                "The guest did something KVM could not handle: often an instruction its emulator does not support, or a fault while delivering an event.",
                "KVM gave up inside the kernel (suberror: emulation failure, double exception, event delivery or unexpected exit).",
                "The VMM stops the guest and shows the suberror and data words. On this host an INT3 under guest debugging also ends here.",
                API + ", KVM_EXIT_INTERNAL_ERROR");
        kvm(KvmExitReason.OSI, "OSI (PowerPC)", "Not an x86 exit.", "PowerPC only.", "Nothing to do on x86.", API);
        kvm(KvmExitReason.PAPR_HCALL, "PAPR hypercall (PowerPC)", "Not an x86 exit.", "PowerPC only.", "Nothing to do on x86.", API);
        kvm(KvmExitReason.WATCHDOG, "Watchdog (PowerPC)", "Not an x86 exit.", "PowerPC only.", "Nothing to do on x86.", API);
        kvm(KvmExitReason.EPR, "External proxy (PowerPC)", "Not an x86 exit.", "PowerPC only.", "Nothing to do on x86.", API);
        kvm(KvmExitReason.SYSTEM_EVENT, "System event",
                "The guest asked for a platform action such as power-off, reset or a crash report.",
                "KVM recognised the request (e.g. a paravirtual crash MSR or a confidential-guest termination) and passes the decision to the VMM.",
                "The VMM shuts down, resets, or records the crash, as the event type says.",
                API + ", KVM_EXIT_SYSTEM_EVENT");
        kvm(KvmExitReason.IOAPIC_EOI, "I/O APIC EOI",
                "The guest signalled end-of-interrupt for a level-triggered vector.",
                "With the I/O APIC in user space (split irqchip), KVM tells the VMM so it can re-check the interrupt line.",
                "The VMM's I/O APIC re-raises the interrupt if the device still asserts it, then re-enters.",
                SDM + ", 'APIC Virtualization and Virtual Interrupts': EOI virtualisation; " + API + ", KVM_EXIT_IOAPIC_EOI");
        kvm(KvmExitReason.HYPERV, "Hyper-V emulation",
                "The guest used a Hyper-V enlightenment (a SynIC MSR write or a Hyper-V hypercall).",
                "KVM emulates Hyper-V but leaves these events to user space.",
                "The VMM updates its Hyper-V state and re-enters.", API + ", KVM_EXIT_HYPERV");
        kvm(KvmExitReason.X86_RDMSR, "RDMSR to user space",
                "The guest executed RDMSR on a model-specific register.",
                "KVM does not know the MSR, or the VMM's MSR filter sends this MSR to user space.",
                "The VMM puts the value in the exit's data (or sets error to inject #GP) and re-enters; KVM writes EDX:EAX and skips RDMSR.",
                SDM + ", 'VMX Non-Root Operation': RDMSR and the MSR bitmaps; " + API + ", KVM_EXIT_X86_RDMSR");
        kvm(KvmExitReason.X86_WRMSR, "WRMSR to user space",
                "The guest executed WRMSR on a model-specific register.",
                "KVM does not know the MSR, or the VMM's MSR filter sends this MSR to user space.",
                "The VMM applies the value (or sets error to inject #GP) and re-enters; KVM skips the WRMSR.",
                SDM + ", 'VMX Non-Root Operation': WRMSR and the MSR bitmaps; " + API + ", KVM_EXIT_X86_WRMSR");
        kvm(KvmExitReason.DIRTY_RING_FULL, "Dirty ring full",
                "The guest wrote to enough pages to fill the vCPU's dirty-page ring.",
                "KVM stops the vCPU until user space harvests the ring (used during live migration).",
                "The VMM collects and resets the dirty pages, then re-enters.", API + ", KVM_EXIT_DIRTY_RING_FULL");
        kvm(KvmExitReason.AP_RESET_HOLD, "AP reset hold (SEV-ES)",
                "An encrypted (SEV-ES) guest parked an application processor.",
                "The guest asked through the GHCB protocol (VMGEXIT); only AMD confidential guests do this.",
                "The VMM holds the vCPU until the guest wakes it.", API + ", KVM_EXIT_AP_RESET_HOLD");
        kvm(KvmExitReason.X86_BUS_LOCK, "Bus lock",
                "The guest executed a locked instruction on memory that split a cache line (a bus lock), which slows the whole machine.",
                "Bus-lock detection is on; the processor exits after the instruction so KVM can rate-limit the guest.",
                "The VMM may throttle the guest, then re-enters.",
                SDM + ", 'VMX Non-Root Operation': bus-lock detection; " + API + ", KVM_EXIT_X86_BUS_LOCK");
        kvm(KvmExitReason.XEN, "Xen emulation",
                "The guest used a Xen interface (hypercall page or Xen MSR).",
                "KVM's Xen emulation leaves these to user space.", "The VMM emulates Xen and re-enters.", API + ", KVM_EXIT_XEN");
        kvm(KvmExitReason.NOTIFY, "Notify (instruction timeout)",
                "The guest stayed inside one instruction for too long, e.g. a microcode loop that never lets interrupts in.",
                "The notify window (instruction-timeout control) expired; this protects the host from a guest that could hang the core.",
                "If the guest context is still valid KVM (or the VMM) resumes it; otherwise the guest is stopped.",
                SDM + ", 'VMX Non-Root Operation': instruction-timeout (notify) exits; " + API + ", KVM_EXIT_NOTIFY");
        kvm(KvmExitReason.MEMORY_FAULT, "Memory fault",
                "The guest accessed memory whose private/shared state (guest_memfd) does not match the access.",
                "KVM could not map the page for the access and needs the VMM to convert it.",
                "The VMM converts the range between private and shared and re-enters.", API + ", KVM_EXIT_MEMORY_FAULT");
        kvm(KvmExitReason.OTHER, "Exit unknown to vmscope",
                "The guest caused an exit this vmscope version does not know.",
                "KVM returned an exit_reason number missing from vmscope's table.",
                "Look the number up in linux/kvm.h; the raw payload words are kept.", API);

        vmx(VmxExitReasons.EXCEPTION_NMI, "The guest raised an exception (or an NMI arrived).",
                "Its vector is set in the exception bitmap (NMIs exit with NMI exiting), so the processor exits before delivering it.",
                "KVM either handles it (e.g. #PF for shadow paging, #DB for a debugger) or re-injects it into the guest.",
                SDM + ", 'VMX Non-Root Operation': exceptions; 'VM Exits': VM-exit interruption information");
        vmx(VmxExitReasons.EXTERNAL_INTERRUPT, "Nothing: a host interrupt arrived while the guest ran.",
                "External-interrupt exiting is on, so every host interrupt (timer, IPI, device) takes the CPU back.",
                "The host handles the interrupt; KVM re-enters the guest unless a signal or request is pending.",
                SDM + ", 'VMX Non-Root Operation': external-interrupt exiting; pin-based VM-execution controls");
        vmx(VmxExitReasons.TRIPLE_FAULT, "The guest faulted while delivering a double fault.",
                "A triple fault always causes a VM exit instead of shutting the processor down.",
                "KVM reports KVM_EXIT_SHUTDOWN; the VMM resets or stops the guest.",
                SDM + ", 'VMX Non-Root Operation': triple fault");
        vmx(VmxExitReasons.INTERRUPT_WINDOW, "The guest became able to take an interrupt (IF=1, no interrupt shadow).",
                "Interrupt-window exiting was on because the hypervisor has an interrupt waiting.",
                "The hypervisor injects the interrupt at the next entry.",
                SDM + ", 'VMX Non-Root Operation': interrupt-window exiting");
        vmx(VmxExitReasons.HLT, "The guest executed HLT.",
                "HLT exiting is on, so the processor exits instead of halting.",
                "KVM blocks the vCPU until an interrupt arrives, or returns to user space when the APIC lives there.",
                SDM + ", 'VMX Non-Root Operation': HLT exiting");
        vmx(VmxExitReasons.VMCALL, "The guest executed VMCALL.",
                "VMCALL always exits in VMX non-root operation.",
                "KVM performs the hypercall in RAX (or forwards it to user space) and skips the instruction.",
                SDM + ", 'VMX Instruction Reference': VMCALL");
        vmx(VmxExitReasons.IO_INSTRUCTION, "The guest executed IN, OUT, INS or OUTS.",
                "Unconditional I/O exiting or the port's bit in the I/O bitmap makes it exit; the qualification gives port, size, direction, string and REP.",
                "KVM emulates in-kernel devices or returns KVM_EXIT_IO; it skips the instruction when the access completes.",
                SDM + ", 'VMX Non-Root Operation': IN/OUT and I/O bitmaps; 'VM Exits': exit qualification for I/O instructions");
        vmx(VmxExitReasons.MSR_READ, "The guest executed RDMSR (ECX selects the MSR).",
                "The MSR's read bit in the MSR bitmap is set (or MSR bitmaps are off).",
                "KVM emulates the MSR, injects #GP, or forwards it to user space.",
                SDM + ", 'VMX Non-Root Operation': RDMSR and MSR bitmaps");
        vmx(VmxExitReasons.MSR_WRITE, "The guest executed WRMSR (ECX selects the MSR, EDX:EAX the value).",
                "The MSR's write bit in the MSR bitmap is set (or MSR bitmaps are off).",
                "KVM emulates the MSR, injects #GP, or forwards it to user space.",
                SDM + ", 'VMX Non-Root Operation': WRMSR and MSR bitmaps");
        vmx(VmxExitReasons.INVALID_GUEST_STATE, "Nothing: the guest never ran.",
                "VM entry found the guest-state area invalid (bit 31 of the exit reason marks a failed entry).",
                "KVM reports KVM_EXIT_FAIL_ENTRY; the VMM must fix the state it set.",
                SDM + ", 'VM Entries': checks on the guest-state area");
        vmx(VmxExitReasons.MSR_LOAD_FAIL, "Nothing: the guest never ran.",
                "VM entry failed while loading an MSR from the VM-entry MSR-load list.",
                "KVM reports KVM_EXIT_FAIL_ENTRY; the exit qualification names the failing list entry.",
                SDM + ", 'VM Entries': loading MSRs");
        vmx(VmxExitReasons.MCE_DURING_VMENTRY, "Nothing: the guest never ran.",
                "A machine-check event happened during VM entry.",
                "KVM reports a failed entry; the host's machine-check handler deals with the hardware error.",
                SDM + ", 'VM Entries': machine-check events during VM entry");
        vmx(VmxExitReasons.APIC_ACCESS, "The guest accessed the local APIC page (e.g. the TPR at offset 0x80).",
                "Virtualising APIC accesses makes accesses to the APIC-access page exit unless the CPU can virtualise them.",
                "KVM emulates the APIC register access.",
                SDM + ", 'APIC Virtualization and Virtual Interrupts': APIC-access VM exits");
        vmx(VmxExitReasons.EOI_INDUCED, "The guest wrote EOI for a vector marked in the EOI-exit bitmap.",
                "Virtual-interrupt delivery exits on EOIs the hypervisor must see (level-triggered interrupts).",
                "KVM updates the I/O APIC (or tells user space) so the line can fire again.",
                SDM + ", 'APIC Virtualization and Virtual Interrupts': EOI virtualisation");
        vmx(VmxExitReasons.EPT_VIOLATION, "The guest accessed a guest-physical address the EPT tables do not allow (not mapped, or a forbidden read/write/fetch).",
                "The EPT walk failed, so the processor exits with the guest-physical address and the access type.",
                "KVM maps the page if it is RAM, or treats the access as MMIO and emulates it (or returns KVM_EXIT_MMIO).",
                SDM + ", 'VMX Support for Address Translation': EPT violations; 'VM Exits': exit qualification for EPT violations");
        vmx(VmxExitReasons.EPT_MISCONFIG, "The guest accessed a guest-physical address whose EPT entry is deliberately invalid.",
                "KVM marks pages it knows to be MMIO with a misconfigured entry, so the access exits fast with the address.",
                "KVM emulates the MMIO access directly, without a page-table walk.",
                SDM + ", 'VMX Support for Address Translation': EPT misconfigurations");
        vmx(VmxExitReasons.BUS_LOCK, "The guest executed an instruction that locked the bus.",
                "Bus-lock detection exits after such an instruction so the host can limit its impact.",
                "KVM counts it, may throttle the guest, and may report KVM_EXIT_X86_BUS_LOCK.",
                SDM + ", 'VMX Non-Root Operation': bus-lock detection");
        vmx(VmxExitReasons.NOTIFY, "The guest spent too long in a single instruction.",
                "The notify window (instruction-timeout control) ran out.",
                "KVM resumes the guest when its context is valid; otherwise it reports KVM_EXIT_NOTIFY.",
                SDM + ", 'VMX Non-Root Operation': instruction-timeout exits");
    }

    private ExitExplanations() {
    }

    private static void kvm(KvmExitReason r, String title, String did, String why, String next, String read) {
        KVM.put(r, new Explanation(title, did, why, next, read));
    }

    private static void vmx(int reason, String did, String why, String next, String read) {
        VMX.put(reason, new Explanation(VmxExitReasons.name(reason), did, why, next, read));
    }

    public static Optional<Explanation> forKvm(KvmExitReason reason) {
        return Optional.ofNullable(KVM.get(reason));
    }

    public static Optional<Explanation> forVmx(int basicReason) {
        return Optional.ofNullable(VMX.get(basicReason));
    }

    /** The KVM-level explanation, then the VMX one when the exit maps to a VMX reason. */
    public static List<Explanation> forExit(ExitInfo info) {
        List<Explanation> out = new ArrayList<>(2);
        forKvm(info.exit().reason()).ifPresent(out::add);
        info.vmxReason().ifPresent(r -> forVmx(r).ifPresent(out::add));
        return out;
    }
}
