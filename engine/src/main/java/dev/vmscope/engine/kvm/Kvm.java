package dev.vmscope.engine.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import dev.vmscope.engine.sys.KvmCpuid2;
import dev.vmscope.engine.sys.LibC;

import static dev.vmscope.engine.sys.KvmIoctls.*;

/** The {@code /dev/kvm} system handle. */
public final class Kvm extends Fd {
    private final String path;

    private Kvm(int fd, String path) {
        super(fd);
        this.path = path;
    }

    /** Opens the KVM device; failures explain what the user can do about them. */
    public static Kvm open(String path) {
        int fd;
        try {
            fd = LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            String hint = openFailureHint(errno, path);
            throw new KvmException(path, errno, hint);
        }
        Kvm kvm = new Kvm(fd, path);
        int version;
        try {
            version = kvm.ioctl("KVM_GET_API_VERSION", KVM_GET_API_VERSION, 0);
        } catch (KvmException e) {
            kvm.close();
            throw new KvmException(path, e.errno(), path + " is not a KVM device");
        }
        if (version != KVM_API_VERSION) {
            kvm.close();
            throw new KvmException(path + ": KVM API version " + version + ", vmscope needs " + KVM_API_VERSION);
        }
        return kvm;
    }

    /** What a user can do when the KVM device does not open. */
    static String openFailureHint(int errno, String path) {
        return switch (errno) {
            case LibC.ENOENT -> "KVM is not available on this machine (no such device; is the kvm module loaded"
                    + " and virtualization enabled?). Recorded traces still open without KVM.";
            case LibC.EACCES, LibC.EPERM -> "add your user to the 'kvm' group (sudo usermod -aG kvm $USER, then log"
                    + " in again) or run with access to " + path;
            default -> "cannot open the KVM device";
        };
    }

    public String path() {
        return path;
    }

    public int checkExtension(int cap) {
        return ioctl("KVM_CHECK_EXTENSION", KVM_CHECK_EXTENSION, cap);
    }

    public int vcpuMmapSize() {
        return ioctl("KVM_GET_VCPU_MMAP_SIZE", KVM_GET_VCPU_MMAP_SIZE, 0);
    }

    /** The CPUID entries KVM supports (ready for KVM_SET_CPUID2). */
    public CpuidTable supportedCpuid() {
        for (int n = 64; n <= 4096; n *= 2) {
            Memory m = new Memory(KvmCpuid2.ENTRIES_OFFSET + (long) n * KvmCpuid2.ENTRY_SIZE);
            m.clear();
            m.setInt(0, n);
            try {
                ioctl("KVM_GET_SUPPORTED_CPUID", KVM_GET_SUPPORTED_CPUID, m);
                return new CpuidTable(m);
            } catch (KvmException e) {
                if (e.errno() != 7) { // E2BIG: try a bigger buffer
                    throw e;
                }
            }
        }
        throw new KvmException("KVM_GET_SUPPORTED_CPUID: more than 4096 entries");
    }

    /** KVM_X86_GET_MCE_CAP_SUPPORTED: the MCG_CAP bits KVM emulates (the bank limit is KVM_CAP_MCE's value). */
    public long mceCapSupported() {
        Memory m = new Memory(8);
        m.setLong(0, 0);
        ioctl("KVM_X86_GET_MCE_CAP_SUPPORTED", KVM_X86_GET_MCE_CAP_SUPPORTED, m);
        return m.getLong(0);
    }

    public Vm createVm() {
        int vmfd = ioctl("KVM_CREATE_VM", KVM_CREATE_VM, 0);
        return new Vm(this, vmfd);
    }
}
