package dev.vmscope.engine.testing;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.trace.ExitStore;
import dev.vmscope.engine.trace.Outcome;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Runs a guest to its end on real KVM and keeps what a test wants to look at. */
public record GuestRun(Outcome outcome, String console, List<ExitRecord> exits, ExitStore store) {

    public static GuestRun sample(String name) {
        return sample(name, b -> b);
    }

    public static GuestRun sample(String name, UnaryOperator<MachineConfig.Builder> tweak) {
        KvmTests.requireKvm();
        return run(tweak.apply(GuestSpec.resolve(KvmTests.sample(name))).build());
    }

    public static GuestRun image(String name, byte[] image, UnaryOperator<MachineConfig.Builder> tweak) {
        KvmTests.requireKvm();
        return run(tweak.apply(MachineConfig.builder(name, image)).build());
    }

    public static GuestRun run(MachineConfig config) {
        return run(config, 30);
    }

    public static GuestRun run(MachineConfig config, int timeoutSeconds) {
        KvmTests.requireKvm();
        try (Machine m = Machine.create(config)) {
            m.start();
            Outcome o = m.awaitOutcome(timeoutSeconds, TimeUnit.SECONDS);
            if (o == null) {
                throw new AssertionError(config.name() + " did not finish in " + timeoutSeconds + " s");
            }
            List<ExitRecord> exits = new ArrayList<>();
            m.store().scan(0, m.store().size(), exits::add);
            return new GuestRun(o, m.store().console(), exits, m.store());
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public ExitRecord last() {
        return exits.get(exits.size() - 1);
    }
}
