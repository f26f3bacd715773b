package dev.vmscope.engine.testing;

import dev.vmscope.engine.kernel.KernelTraceUnavailable;
import dev.vmscope.engine.kernel.Tracefs;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

/**
 * Gate for tests that need tracefs and the right to trace (root here and in CI): they skip with the reason
 * printed, and fail instead when VMSCOPE_REQUIRE_KVM=1.
 */
public final class TracefsTests {
    private TracefsTests() {
    }

    public static Path requireTracefs() {
        KvmTests.requireKvm();
        try {
            return Tracefs.locate();
        } catch (KernelTraceUnavailable e) {
            if ("1".equals(System.getenv("VMSCOPE_REQUIRE_KVM"))) {
                throw new AssertionError("VMSCOPE_REQUIRE_KVM=1 but " + e.getMessage());
            }
            System.out.println("tracefs test skipped: " + e.getMessage());
            Assumptions.abort(e.getMessage());
            return null;
        }
    }
}
