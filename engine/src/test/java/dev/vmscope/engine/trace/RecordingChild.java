package dev.vmscope.engine.trace;

import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.HexFormat;

/**
 * Not a test: the process {@link TraceRecordingTest} and {@link QuietVcpuTest} kill. Records a guest that never
 * stops to the file named by its first argument: the sample directory named by the second (e.g. {@code samples/spin}), else
 * {@code mov dx,0x80; l: out dx,al; jmp l}. Says "started" once the vCPU runs, and waits to be killed.
 */
public final class RecordingChild {
    private RecordingChild() {
    }

    /**
     * Starts this process recording into {@code file} ({@code sample}, a sample directory, or null for the
     * I/O loop) and returns once its vCPU runs.
     */
    static Process start(Path file, Path sample) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                RecordingChild.class.getName(), file.toString()));
        if (sample != null) {
            cmd.add(sample.toAbsolutePath().toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (line == null || !line.startsWith("started")) {
            p.destroyForcibly();
            throw new AssertionError("the recording process said " + line + " instead of started");
        }
        return p;
    }

    /** SIGKILL: no shutdown hook, no flush, no end record. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the recording process outlived SIGKILL by 30 s");
        }
    }

    public static void main(String[] args) throws Exception {
        MachineConfig config = args.length > 1 ? GuestSpec.resolve(Path.of(args[1])).build()
                : MachineConfig.builder("forever", HexFormat.of().parseHex("BA8000EEEBFD")).build();
        Machine m = Machine.create(config);
        TraceWriter w = TraceWriter.record(m.store(), Path.of(args[0]));
        m.start();
        System.out.println("started " + w.file());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
