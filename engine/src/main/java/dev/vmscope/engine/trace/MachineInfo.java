package dev.vmscope.engine.trace;

/**
 * What ran: enough to tell traces apart and to reproduce a run. {@code imageSha256} is hex;
 * {@code snapshotLevel} is "fast" or "full".
 */
public record MachineInfo(String guestName, String imageSha256, int vcpus, long memoryBytes, String mode,
                          String snapshotLevel, String hostKernel, String hostCpu, long startEpochMillis) {
}
