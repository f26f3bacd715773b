package dev.vmscope.engine.trace;

import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;

import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Not a test: the process {@link TraceRecordingTest} kills. Records a guest that never stops
 * ({@code mov dx,0x80; l: out dx,al; jmp l}) to the file named by its argument, says "started" once the
 * vCPU runs, and waits to be killed.
 */
public final class RecordingChild {
    private RecordingChild() {
    }

    public static void main(String[] args) throws Exception {
        byte[] loop = HexFormat.of().parseHex("BA8000EEEBFD");
        Machine m = Machine.create(MachineConfig.builder("forever", loop).build());
        TraceWriter w = TraceWriter.record(m.store(), Path.of(args[0]));
        m.start();
        System.out.println("started " + w.file());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
