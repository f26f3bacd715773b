package dev.vmscope.engine.testing;

import dev.vmscope.engine.kvm.Kvm;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gate for tests that need a real /dev/kvm: they skip with the reason printed when KVM is missing, and
 * fail instead when VMSCOPE_REQUIRE_KVM=1 (as CI sets it).
 */
public final class KvmTests {
    private static String unavailable;
    private static boolean checked;

    private KvmTests() {
    }

    public static synchronized void requireKvm() {
        if (!checked) {
            checked = true;
            try {
                Kvm.open("/dev/kvm").close();
                unavailable = null;
            } catch (RuntimeException e) {   // KvmException, or anything else that keeps /dev/kvm from us
                unavailable = e.getMessage();
            }
        }
        if (unavailable != null) {
            String msg = "KVM test skipped: " + unavailable;
            if ("1".equals(System.getenv("VMSCOPE_REQUIRE_KVM"))) {
                throw new AssertionError("VMSCOPE_REQUIRE_KVM=1 but " + unavailable);
            }
            System.out.println(msg);
            Assumptions.abort(msg);
        }
    }

    /** The samples directory (surefire sets vmscope.samples; IDE runs fall back to ../samples). */
    public static Path samples() {
        String p = System.getProperty("vmscope.samples");
        Path dir = p != null ? Path.of(p) : Path.of("../samples");
        if (!Files.isDirectory(dir)) {
            dir = Path.of("samples");
        }
        return dir;
    }

    public static Path sample(String name) {
        return samples().resolve(name);
    }
}
