/**
 * VMCS- and VMCB-shaped views of a captured exit, with provenance for every field.
 *
 * <h2>What a view is</h2>
 * KVM never shows user space the VMCS (or VMCB) that runs the guest. {@link dev.vmscope.engine.vmcs.VmcsFieldView}
 * is the guest's <em>architectural</em> state at one exit written in VMCS form, from what KVM did give (kvm_regs,
 * kvm_sregs, vcpu events, and at the full level debug registers, MSRs and mp_state) plus the exit restated as
 * the VMX exit behind it ({@link dev.vmscope.engine.vmcs.ExitInfoMapper}). It is not a copy of KVM's hardware
 * VMCS: e.g. GUEST_CR0 shows the guest's CR0, where hardware may hold bits KVM forces.
 *
 * <h2>Provenance</h2>
 * Every field carries a {@link dev.vmscope.engine.vmcs.Provenance}: CAPTURED, DERIVED, NOT_CAPTURED (user space
 * could read it, this snapshot did not — e.g. DR7 at the fast level), NOT_APPLICABLE (undefined for this exit)
 * or NOT_VISIBLE (kept in the kernel). Only the first two carry a value; {@link dev.vmscope.engine.vmcs.FieldValue}
 * refuses anything else, and marks bits it could not determine in {@code unknownMask}.
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>HIGH encodings of 64-bit fields are a property ({@link dev.vmscope.engine.vmcs.FieldRef}), not separate
 *     constants; {@link dev.vmscope.engine.vmcs.VmcsCatalog#encodings()} lists both.</li>
 * <li>Activity state: a HLT exit means HLT (1) — KVM has already stepped past the HLT and reports mp_state
 *     RUNNABLE because it left the halt to user space; a SHUTDOWN exit means shutdown (2); otherwise mp_state
 *     at the full level (RUNNABLE 0, HALTED 1, INIT_RECEIVED 3); at the fast level an exit caused by a guest
 *     instruction means active (0), anything else is not captured.</li>
 * <li>Interruptibility: KVM's shadow bits (MOV_SS 1, STI 2) are swapped into VMX order (STI bit 0, MOV_SS
 *     bit 1); nmi.masked is bit 3, smi.smm bit 2; the enclave bit is unknown.</li>
 * <li>DR7 (and the VMCB's DR6): at a debug exit the payload wins, because KVM copied the hardware field into it;
 *     otherwise kvm_debugregs at the full level; otherwise not captured.</li>
 * <li>Instruction bytes at RIP (optional) settle what KVM's I/O exit omits: string, REP, DX or immediate,
 *     instruction length, address size and segment. Bytes that do not decode to the reported instruction are
 *     ignored. Without them those bits are unknown — except that a count above one proves REP INS/OUTS.</li>
 * <li>KVM-internal exits (internal error, system event, dirty ring, ...) have no VMX reason; the view says why.</li>
 * </ul>
 */
package dev.vmscope.engine.vmcs;
