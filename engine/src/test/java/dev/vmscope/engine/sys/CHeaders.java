package dev.vmscope.engine.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Numbers read from the installed kernel headers by compiling and running a small C program. */
final class CHeaders {
    /** Start of a probe program: {@code P(name, value)} prints one name=value line. */
    static final String PROLOGUE = "#include <stdio.h>\n#include <stddef.h>\n#include <linux/kvm.h>\n"
            + "#define P(n, v) printf(\"%s=%llu\\n\", n, (unsigned long long)(v))\nint main(void) {\n";

    private CHeaders() {
    }

    /** Compiles and runs a C program printing name=value lines; skips when there is no C compiler. */
    static Map<String, Long> run(String program) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cc")) || Files.isExecutable(Path.of("/usr/bin/gcc")),
                "no C compiler: checked against the written-down numbers only");
        assumeTrue(Files.exists(Path.of("/usr/include/linux/kvm.h")), "no linux/kvm.h installed");
        Path dir = Files.createTempDirectory("vmscope-layout");
        Path src = dir.resolve("layout.c");
        Files.writeString(src, program);
        Path exe = dir.resolve("layout");
        Process cc = new ProcessBuilder(Files.isExecutable(Path.of("/usr/bin/cc")) ? "cc" : "gcc", "-o",
                exe.toString(), src.toString()).redirectErrorStream(true).start();
        String log = new String(cc.getInputStream().readAllBytes());
        assertThat(cc.waitFor(60, TimeUnit.SECONDS) && cc.exitValue() == 0).as("compiling layout probe: %s", log)
                .isTrue();
        Process run = new ProcessBuilder(exe.toString()).start();
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : new String(run.getInputStream().readAllBytes()).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 1).trim()));
            }
        }
        run.waitFor(10, TimeUnit.SECONDS);
        return values;
    }
}
