package dev.vmscope.engine.machine.boot;

import dev.vmscope.engine.config.CpuMode;

/**
 * What a loader leaves for the boot vCPU: the mode and entry point, plus the registers its protocol
 * passes (multiboot: EAX magic and EBX info; Linux: RSI zero page). {@code summary} says what was loaded.
 */
public record BootPlan(CpuMode mode, long entry, long rax, long rbx, long rsi, String summary) {
}
