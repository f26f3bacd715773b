package dev.vmscope.engine.exit;

/**
 * One exit from KVM_RUN, fully decoded: the order it happened in (seq, global across vCPUs), which vCPU,
 * when (ns since the run started, taken right after KVM_RUN returned), how long the guest ran before it
 * (ns inside KVM_RUN), why, and the guest state at that moment.
 */
public record ExitRecord(long seq, int vcpu, long timeNs, long guestNs, KvmExit exit, GuestState state) {
    public KvmExitReason reason() {
        return exit.reason();
    }
}
