package dev.vmscope.engine.vmcs;

import dev.vmscope.engine.exit.ExitRecord;
import dev.vmscope.engine.exit.KvmExitReason;
import dev.vmscope.engine.debug.GuestCode;
import dev.vmscope.engine.machine.GuestSpec;
import dev.vmscope.engine.machine.Machine;
import dev.vmscope.engine.machine.MachineConfig;
import dev.vmscope.engine.testing.GuestRun;
import dev.vmscope.engine.testing.KvmTests;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The VMCS view of real exits of the samples, with the values the SDM and the guests' own code say. */
class VmcsOnSamplesTest {
    /** Runs a sample for {@code exits} exits and returns views with the instruction bytes found in memory. */
    private static List<VmcsFieldView> views(String sample, long exits) throws Exception {
        KvmTests.requireKvm();
        MachineConfig c = GuestSpec.resolve(KvmTests.sample(sample)).maxExits(exits).build();
        List<VmcsFieldView> out = new ArrayList<>();
        try (Machine m = Machine.create(c)) {
            m.start();
            m.awaitOutcome(30, TimeUnit.SECONDS);
            GuestCode code = GuestCode.live(m.memory());
            m.store().scan(0, m.store().size(), r -> out.add(VmcsFieldView.of(r, code.instructionBytes(r))));
        }
        return out;
    }

    private static long value(VmcsFieldView v, VmcsField f) {
        FieldValue x = v.get(f);
        assertThat(x.provenance().hasValue()).as("%s has a value (%s)", f, x.note()).isTrue();
        return x.value();
    }

    @Test
    void protectedModeCodeSegmentAndCr0() {
        VmcsFieldView last = GuestRunViews.last("protected");
        assertThat(value(last, VmcsField.GUEST_CS_AR_BYTES)).isEqualTo(0xC09B);
        assertThat(last.get(VmcsField.GUEST_CS_AR_BYTES).provenance()).isEqualTo(Provenance.CAPTURED);
        assertThat(value(last, VmcsField.GUEST_CR0) & 1).as("CR0.PE").isEqualTo(1);
        assertThat(value(last, VmcsField.VM_EXIT_REASON)).as("HLT").isEqualTo(12);
    }

    @Test
    void longModeEferAndCodeSegment() {
        VmcsFieldView last = GuestRunViews.last("longmode");
        assertThat(value(last, VmcsField.GUEST_IA32_EFER) & 0x500).isEqualTo(0x500);
        assertThat(value(last, VmcsField.GUEST_CS_AR_BYTES) & (1 << 13)).as("CS.L").isNotZero();
        assertThat(value(last, VmcsField.GUEST_CR4) & (1 << 5)).as("CR4.PAE").isNotZero();
    }

    @Test
    void outToTheUartIsIoInstructionWithItsQualification() throws Exception {
        VmcsFieldView v = views("hello", 1).get(0);
        assertThat(value(v, VmcsField.VM_EXIT_REASON)).isEqualTo(30);
        assertThat(value(v, VmcsField.EXIT_QUALIFICATION)).as("port 0x3F8, size 1, OUT, DX, not string")
                .isEqualTo(0x03F80000L);
        assertThat(v.get(VmcsField.EXIT_QUALIFICATION).unknownMask()).isZero();
        assertThat(value(v, VmcsField.VM_EXIT_INSTRUCTION_LEN)).as("out dx, al").isEqualTo(1);
        assertThat(v.get(VmcsField.EXIT_QUALIFICATION).provenance()).isEqualTo(Provenance.DERIVED);

        ExitRecord r = v.record();
        VmcsFieldView withoutBytes = VmcsFieldView.of(r);
        assertThat(withoutBytes.get(VmcsField.EXIT_QUALIFICATION).unknownMask()).as("string/REP/operand unknown")
                .isEqualTo(0x70);
    }

    @Test
    void repOutsbSetsTheStringAndRepBits() throws Exception {
        VmcsFieldView v = views("stringio", 3).get(2);
        long q = value(v, VmcsField.EXIT_QUALIFICATION);
        assertThat(q & 0x10).as("string").isNotZero();
        assertThat(q & 0x20).as("REP").isNotZero();
        assertThat(q >>> 16).isEqualTo(0x3F8);
        assertThat(value(v, VmcsField.VM_EXIT_INSTRUCTION_LEN)).as("rep outsb").isEqualTo(2);
    }

    @Test
    void immediatePortSetsTheOperandBit() throws Exception {
        VmcsFieldView v = views("ioloop", 2).get(1);
        assertThat(value(v, VmcsField.EXIT_QUALIFICATION)).as("out 0x80, al").isEqualTo(0x00800040L);
    }

    @Test
    void mmioIsAnEptViolationAtItsGuestPhysicalAddress() {
        GuestRun r = GuestRun.sample("mmio");
        ExitRecord first = r.exits().stream().filter(e -> e.reason() == KvmExitReason.MMIO).findFirst().orElseThrow();
        VmcsFieldView v = VmcsFieldView.of(first);
        assertThat(value(v, VmcsField.VM_EXIT_REASON)).isEqualTo(48);
        assertThat(value(v, VmcsField.GUEST_PHYSICAL_ADDRESS)).isEqualTo(0xD0000000L);
        assertThat(value(v, VmcsField.EXIT_QUALIFICATION) & 0x2).as("a write").isNotZero();
    }

    @Test
    void tripleFaultIsReasonTwo() {
        VmcsFieldView last = GuestRunViews.last("triplefault");
        assertThat(value(last, VmcsField.VM_EXIT_REASON)).isEqualTo(2);
    }

    @Test
    void noFieldThatIsNotVisibleEverShowsAValue() {
        for (String sample : List.of("hello", "smp", "mmio", "triplefault")) {
            for (ExitRecord e : GuestRun.sample(sample).exits()) {
                VmcsFieldView v = VmcsFieldView.of(e);
                for (VmcsField f : VmcsField.values()) {
                    FieldValue x = v.get(f);
                    if (f.provenance() == Provenance.NOT_VISIBLE) {
                        assertThat(x.provenance()).as("%s at %s exit #%d", f, sample, e.seq())
                                .isEqualTo(Provenance.NOT_VISIBLE);
                    }
                    if (!x.provenance().hasValue()) {
                        assertThat(x.value()).isZero();
                    }
                }
            }
        }
    }

    /** The view of a sample's last exit. */
    private static final class GuestRunViews {
        static VmcsFieldView last(String sample) {
            return VmcsFieldView.of(GuestRun.sample(sample).last());
        }
    }
}
