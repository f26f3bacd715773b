package dev.vmscope.engine.vmcs;

/** VM-instruction error numbers (SDM Vol. 3C, "VM Instruction Error Numbers") that a failed VM entry can report. */
final class VmInstructionErrors {
    private VmInstructionErrors() {
    }

    static String describe(int n) {
        return switch (n) {
            case 4 -> "VMLAUNCH with a non-clear VMCS";
            case 5 -> "VMRESUME with a non-launched VMCS";
            case 6 -> "VMRESUME after VMXOFF";
            case 7 -> "VM entry with invalid control fields";
            case 8 -> "VM entry with invalid host-state fields";
            case 16 -> "VM entry with an invalid executive-VMCS pointer";
            case 17 -> "VM entry with a non-launched executive VMCS";
            case 18 -> "VM entry with an executive-VMCS pointer that is not the VMXON pointer";
            case 26 -> "VM entry with events blocked by MOV SS";
            default -> "see the SDM's table of VM-instruction error numbers";
        };
    }
}
