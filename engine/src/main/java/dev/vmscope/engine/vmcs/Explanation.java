package dev.vmscope.engine.vmcs;

/**
 * A lecture-slide explanation of one exit reason.
 *
 * @param guestDid       what the guest did
 * @param whyExit        why the processor (or KVM) left the guest
 * @param hypervisorNext what KVM and a VMM such as QEMU do next
 * @param readMore       where to read: SDM/APM chapter and section by title (numbers differ between editions), or KVM's API document
 */
public record Explanation(String title, String guestDid, String whyExit, String hypervisorNext, String readMore) {
    /** The three sentences as one paragraph. */
    public String text() {
        return guestDid + " " + whyExit + " " + hypervisorNext;
    }
}
