package dev.vmscope.app.ui.testing;

import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.KvmTests;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.Outcome;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Real guests for UI tests: the two-vCPU demo guest ({@code guests/demo.asm}), and a gate that skips a test
 * with the reason printed when /dev/kvm cannot be used (a failure instead under VMSCOPE_REQUIRE_KVM=1).
 */
public final class Guests {
    private Guests() {
    }

    /** The one KVM test gate, the engine's: skips with the reason printed, fails under VMSCOPE_REQUIRE_KVM=1. */
    public static void requireKvm() {
        KvmTests.requireKvm();
    }

    /**
     * Skips a test that needs tracefs and the right to trace (root here and in CI) with the reason printed, or
     * fails it under VMSCOPE_REQUIRE_KVM=1.
     */
    public static void requireTracefs() {
        requireKvm();
        dev.vmscope.engine.testing.TracefsTests.requireTracefs();
    }

    public static byte[] demoImage() {
        try (InputStream in = Guests.class.getResourceAsStream("/dev/vmscope/app/ui/guests/demo.bin")) {
            if (in == null) {
                throw new IllegalStateException("guests/demo.bin is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo guest: 2 vCPUs, real mode, 512 KiB (so its write at 0x98000 is an MMIO exit). */
    public static MachineConfig demo() {
        return MachineConfig.builder("demo", demoImage()).vcpus(2).memory(512 * 1024).build();
    }

    /** Runs {@code config} to its end on KVM and returns the filled store. */
    public static ExitStore run(MachineConfig config) {
        requireKvm();
        Machine m = Machine.create(config);
        try {
            m.start();
            Outcome o = m.awaitOutcome(30, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError(config.name() + " did not finish in 30 s");
            }
            return m.store();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            m.close();
        }
    }
}
