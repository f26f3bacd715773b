package dev.vmscope.engine.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.vmscope.engine.sys.KvmDebugregs;
import dev.vmscope.engine.sys.KvmGuestDebug;
import dev.vmscope.engine.sys.KvmMsrs;
import dev.vmscope.engine.sys.KvmRegs;
import dev.vmscope.engine.sys.KvmRunLayout;
import dev.vmscope.engine.sys.KvmSregs;
import dev.vmscope.engine.sys.KvmVcpuEvents;
import dev.vmscope.engine.sys.LibC;
import dev.vmscope.engine.sys.ThreadKick;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.vmscope.engine.sys.KvmIoctls.*;

/**
 * A vCPU file descriptor and its mmap'ed {@code kvm_run}. {@link #run()} is the hot path: one ioctl, no
 * allocation; exit data is read from {@link #runBuffer()} by offset.
 */
public final class Vcpu extends Fd {
    private final Vm vm;
    private final int id;
    private final Pointer runPtr;
    private final long runSize;
    private final ByteBuffer run;
    private volatile int tid;
    private final int pid = LibC.getpid();
    /** Orders {@link #kick()} (any thread) against {@link #close()}, which unmaps the kvm_run page it writes. */
    private final Object kickLock = new Object();
    private boolean closed;

    private final Memory debugregs = new Memory(128);
    private final Memory mpState = new Memory(MP_STATE_SIZE);
    private final Memory msrOne = new Memory(KvmMsrs.ENTRIES_OFFSET + KvmMsrs.ENTRY_SIZE);
    private Memory msrs;

    Vcpu(Vm vm, int id, int fd, int mmapSize) {
        super(fd);
        this.vm = vm;
        this.id = id;
        try {
            runPtr = LibC.mmap(null, mmapSize, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
        } catch (LastErrorException e) {
            close();
            throw new KvmException("mmap of kvm_run for vCPU " + id, e.getErrorCode(), null);
        }
        runSize = mmapSize;
        run = runPtr.getByteBuffer(0, mmapSize).order(ByteOrder.LITTLE_ENDIAN);
    }

    public int id() {
        return id;
    }

    public Vm vm() {
        return vm;
    }

    /** The kvm_run page, little-endian; offsets in {@link KvmRunLayout}. */
    public ByteBuffer runBuffer() {
        return run;
    }

    /** Asks KVM to copy regs, sregs and events into kvm_run at every exit (no extra ioctl per exit). */
    public void enableSyncRegs() {
        run.putLong(KvmRunLayout.KVM_VALID_REGS, KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS);
    }

    /** Call from the thread that will call {@link #run()}, so {@link #kick()} can reach it. */
    public void bindToCurrentThread() {
        ThreadKick.install();
        tid = LibC.gettid();
    }

    /** The kernel thread id of the thread bound by {@link #bindToCurrentThread()}, 0 when none. */
    public int tid() {
        return tid;
    }

    /** How a KVM_RUN call ended. */
    public enum RunResult {
        /** The guest exited: kvm_run.exit_reason says why. */
        EXIT,
        /** A signal or immediate_exit interrupted it (EINTR): a pause, not an error. */
        INTERRUPTED,
        /** EAGAIN: the vCPU's state changed in the kernel (e.g. an AP received INIT) before it ran. */
        RETRY
    }

    /** Enters the guest until the next exit, a kick, or a state change in the kernel. */
    public RunResult run() {
        try {
            LibC.ioctl(fd, KVM_RUN, 0L);
            return RunResult.EXIT;
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == LibC.EINTR) {
                run.put(KvmRunLayout.IMMEDIATE_EXIT, (byte) 0);
                return RunResult.INTERRUPTED;
            }
            if (errno == LibC.EAGAIN) {
                return RunResult.RETRY;
            }
            throw new KvmException("KVM_RUN (vCPU " + id + ")", errno, null);
        }
    }

    /**
     * Makes the vCPU leave KVM_RUN soon: immediate_exit covers a kick that lands just before entry, the
     * signal covers a guest that spins without exiting. Safe from any thread.
     */
    public void kick() {
        synchronized (kickLock) {          // never after close: kvm_run is unmapped then
            if (closed) {
                return;
            }
            run.put(KvmRunLayout.IMMEDIATE_EXIT, (byte) 1);
            int t = tid;
            if (t != 0) {
                try {
                    LibC.tgkill(pid, t, ThreadKick.SIGNAL);
                } catch (LastErrorException ignored) {
                    // the thread is gone: it has nothing left to leave
                }
            }
        }
    }

    /** Call from the vCPU's thread as it ends: a later kick must not signal whatever thread reuses its id. */
    public void unbindThread() {
        synchronized (kickLock) {
            tid = 0;
        }
    }

    public int exitReason() {
        return run.getInt(KvmRunLayout.EXIT_REASON);
    }

    public void getRegs(KvmRegs regs) {
        ioctl("KVM_GET_REGS", KVM_GET_REGS, regs);
    }

    public void setRegs(KvmRegs regs) {
        ioctl("KVM_SET_REGS", KVM_SET_REGS, regs);
    }

    public void getSregs(KvmSregs sregs) {
        ioctl("KVM_GET_SREGS", KVM_GET_SREGS, sregs);
    }

    public void setSregs(KvmSregs sregs) {
        ioctl("KVM_SET_SREGS", KVM_SET_SREGS, sregs);
    }

    public void getVcpuEvents(KvmVcpuEvents events) {
        ioctl("KVM_GET_VCPU_EVENTS", KVM_GET_VCPU_EVENTS, events);
    }

    public void getDebugregs(KvmDebugregs d) {
        ioctl("KVM_GET_DEBUGREGS", KVM_GET_DEBUGREGS, d);
    }

    /** KVM_GET_DEBUGREGS into {@code dst[at..at+6]}: DR0-3, DR6, DR7, flags. No allocation. */
    public void readDebugregs(long[] dst, int at) {
        ioctl("KVM_GET_DEBUGREGS", KVM_GET_DEBUGREGS, debugregs);
        for (int i = 0; i < 7; i++) {
            dst[at + i] = debugregs.getLong(8L * i);
        }
    }

    /**
     * KVM_GET_MSRS for {@code indices} into {@code dst[at..]}, through a buffer kept for the next call.
     * KVM stops at the first MSR it cannot read; the rest are set to 0. Returns how many were read.
     */
    public int readMsrs(int[] indices, long[] dst, int at) {
        long size = KvmMsrs.ENTRIES_OFFSET + (long) indices.length * KvmMsrs.ENTRY_SIZE;
        if (msrs == null || msrs.size() < size) {
            msrs = new Memory(size);
        }
        msrs.setInt(0, indices.length);
        msrs.setInt(4, 0);
        for (int i = 0; i < indices.length; i++) {
            long e = KvmMsrs.ENTRIES_OFFSET + (long) i * KvmMsrs.ENTRY_SIZE;
            msrs.setInt(e, indices[i]);
            msrs.setInt(e + 4, 0);
            msrs.setLong(e + 8, 0);
        }
        int n = ioctl("KVM_GET_MSRS", KVM_GET_MSRS, msrs);
        for (int i = 0; i < indices.length; i++) {
            dst[at + i] = i < n ? msrs.getLong(KvmMsrs.ENTRIES_OFFSET + (long) i * KvmMsrs.ENTRY_SIZE + 8) : 0;
        }
        return n;
    }

    /** kvm_regs, kvm_sregs and kvm_vcpu_events as raw u64 words (the sync-regs layout), the slow way. */
    public long[] readStateWords() {
        KvmRegs regs = new KvmRegs();
        getRegs(regs);
        KvmSregs sregs = new KvmSregs();
        getSregs(sregs);
        KvmVcpuEvents events = new KvmVcpuEvents();
        getVcpuEvents(events);
        long[] w = new long[(144 + 312 + 64) / 8];
        copyWords(regs.getPointer(), w, 0, 144 / 8);
        copyWords(sregs.getPointer(), w, 144 / 8, 312 / 8);
        copyWords(events.getPointer(), w, (144 + 312) / 8, 64 / 8);
        return w;
    }

    private static void copyWords(Pointer p, long[] w, int at, int n) {
        for (int i = 0; i < n; i++) {
            w[at + i] = p.getLong(8L * i);
        }
    }

    public int getMpState() {
        ioctl("KVM_GET_MP_STATE", KVM_GET_MP_STATE, mpState);
        return mpState.getInt(0);
    }

    /** Writes one MSR; false when KVM refuses it (the guest would get #GP). */
    public boolean setMsr(int index, long value) {
        Memory m = msrOne;
        m.setInt(0, 1);
        m.setInt(KvmMsrs.ENTRIES_OFFSET, index);
        m.setLong(KvmMsrs.ENTRIES_OFFSET + 8, value);
        return ioctl("KVM_SET_MSRS", KVM_SET_MSRS, m) == 1;
    }

    /** Reads one MSR into {@code out[0]}; false when KVM does not know it. */
    public boolean getMsr(int index, long[] out) {
        Memory m = msrOne;
        m.setInt(0, 1);
        m.setInt(KvmMsrs.ENTRIES_OFFSET, index);
        m.setLong(KvmMsrs.ENTRIES_OFFSET + 8, 0);
        if (ioctl("KVM_GET_MSRS", KVM_GET_MSRS, m) != 1) {
            return false;
        }
        out[0] = m.getLong(KvmMsrs.ENTRIES_OFFSET + 8);
        return true;
    }

    /** KVM_X86_SETUP_MCE: the guest's MCG_CAP (banks in bits 7:0); KVM sets MCG_CTL and every MCi_CTL to all ones. */
    public void setupMce(long mcgCap) {
        Memory m = new Memory(8);
        m.setLong(0, mcgCap);
        ioctl("KVM_X86_SETUP_MCE", KVM_X86_SETUP_MCE, m);
    }

    public void setCpuid(CpuidTable cpuid) {
        ioctl("KVM_SET_CPUID2", KVM_SET_CPUID2, cpuid.buffer);
    }

    public void setGuestDebug(KvmGuestDebug dbg) {
        ioctl("KVM_SET_GUEST_DEBUG", KVM_SET_GUEST_DEBUG, dbg);
    }

    @Override
    public void close() {
        synchronized (kickLock) {
            closed = true;
        }
        if (runPtr != null) {
            try {
                LibC.munmap(runPtr, runSize);
            } catch (LastErrorException ignored) {
                // unmapped with the process
            }
        }
        super.close();
    }
}
