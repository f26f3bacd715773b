package dev.vmscope.engine.gdb;

import dev.vmscope.engine.exit.GuestState;

/**
 * What the stub debugs: a live guest ({@link LiveTarget}) or a recorded trace ({@link ReplayTarget}). The
 * stub's thread is the only caller. Running is asynchronous: {@link #resume}/{@link #step} start it and
 * return a token, {@link #stopAfter} says whether that run has stopped yet, and the target calls the
 * wake-up it was given whenever that may have changed. Threads are vCPUs, numbered from 0 here.
 */
interface GdbTarget {
    /** A stop as gdb hears of it. {@code address} is the watched address for the watch kinds. */
    record Stop(int vcpu, Kind kind, long address, int code, String message) {
        enum Kind { STEP, HW_BREAK, SW_BREAK, WATCH, ACCESS_WATCH, EXIT_BREAK, INTERRUPT, EXITED, FAILED, HISTORY_END }
    }

    /** Kinds of breakpoint gdb inserts with Z0-Z4. */
    enum Breakpoint { SOFTWARE, HARDWARE, WRITE_WATCH, READ_WATCH, ACCESS_WATCH }

    int vcpuCount();

    /** Registers vmscope knows for {@code vcpu} now. */
    GuestState state(int vcpu);

    /** Writes registers back (regs and sregs words); refused where the target is read-only. */
    void setState(int vcpu, long[] words);

    /**
     * Up to {@code len} bytes at {@code address} (linear through {@code vcpu}'s page tables, or physical):
     * fewer when the readable part ends early; a {@link ProtocolException} when nothing is readable.
     */
    byte[] read(int vcpu, long address, int len, boolean physical);

    void write(int vcpu, long address, byte[] data, boolean physical);

    /** Inserts a breakpoint; returns an id for {@link #removeBreakpoint}. */
    int insertBreakpoint(Breakpoint kind, long address, int length);

    void removeBreakpoint(int id);

    /** Runs every vCPU (forward, or backward through a recording). */
    Object resume(boolean reverse);

    /** Steps one instruction of {@code vcpu}, the others stay stopped. */
    Object step(int vcpu, boolean reverse);

    /** Stops a run (gdb's Ctrl-C). */
    void interrupt();

    /** The stop of the run {@code token} started, or null while it still runs. */
    Stop stopAfter(Object token);

    /** The vCPU the target stopped on most recently (0 before any stop). */
    int currentVcpu();

    /** Where the target stands now, for '?' (never null: a target that runs answers as if just interrupted). */
    Stop lastStop();

    /** Whether reverse execution works here. */
    boolean canReverse();

    void onChange(Runnable wake);

    /** A monitor command that the stub does not handle itself; its output, or an exception. */
    String monitor(String command, int vcpu);

    /** Called when gdb goes (detach, kill or a lost connection); {@code kill} ends the guest. */
    void release(boolean kill);
}
