package dev.vmscope.engine.vmcs;

/**
 * One Intel basic exit reason (bits 15:0 of the exit-reason field).
 *
 * @param name        the conventional constant name, e.g. {@code IO_INSTRUCTION}
 * @param description the SDM's wording in short
 * @param defined     false for numbers the SDM leaves unused
 */
public record VmxExitReason(int code, String name, String description, boolean defined) {
}
