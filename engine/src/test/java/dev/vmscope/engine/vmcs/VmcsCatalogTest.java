package dev.vmscope.engine.vmcs;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The field catalogue obeys the SDM's encoding rules and says where every value comes from. */
class VmcsCatalogTest {

    @Test
    void everyEncodingFollowsTheSdmRulesAndMatchesItsDeclaredWidthAndArea() {
        for (FieldRef ref : VmcsCatalog.encodings()) {
            int e = ref.encoding();
            String what = ref.name() + " " + VmcsEncoding.hex(e);
            assertThat(e & ~0x7FFF).as(what + ": bits 31:15 zero").isZero();
            assertThat(e & (1 << 12)).as(what + ": bit 12 zero").isZero();
            assertThat((e >>> 13) & 3).as(what + ": width bits 14:13").isEqualTo(ref.field().width().code);
            assertThat((e >>> 10) & 3).as(what + ": type bits 11:10").isEqualTo(ref.field().area().code);
            assertThat(e & 1).as(what + ": access type bit 0").isEqualTo(ref.access() == AccessType.HIGH ? 1 : 0);
            assertThat(VmcsEncoding.compose(ref.field().width(), ref.field().area(), VmcsEncoding.index(e), ref.access()))
                    .as(what + ": recomposes").isEqualTo(e);
        }
    }

    @Test
    void onlySixtyFourBitFieldsHaveHighHalvesAndFullEncodingsAreEven() {
        for (VmcsField f : VmcsField.values()) {
            assertThat(f.encoding() & 1).as(f.name()).isZero();
            assertThat(f.hasHighHalf()).as(f.name()).isEqualTo(f.width() == Width.BITS64);
        }
        long highs = VmcsCatalog.encodings().stream().filter(r -> r.access() == AccessType.HIGH).count();
        long sixtyFour = VmcsCatalog.fields().stream().filter(f -> f.width() == Width.BITS64).count();
        assertThat(highs).isEqualTo(sixtyFour);
    }

    @Test
    void noTwoFieldsShareAnEncodingOrAName() {
        Set<Integer> encodings = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (FieldRef r : VmcsCatalog.encodings()) {
            assertThat(encodings.add(r.encoding())).as("duplicate " + VmcsEncoding.hex(r.encoding())).isTrue();
            assertThat(names.add(r.name())).as("duplicate " + r.name()).isTrue();
        }
    }

    @Test
    void everyFieldHasADescriptionAndASourceAndNothingIsNotApplicableInTheCatalogue() {
        for (VmcsField f : VmcsField.values()) {
            assertThat(f.description()).as(f.name()).isNotBlank();
            assertThat(f.source()).as(f.name()).isNotNull();
            assertThat(f.source().text()).as(f.name()).isNotBlank();
            assertThat(f.provenance()).as(f.name()).isNotEqualTo(Provenance.NOT_APPLICABLE);
        }
    }

    @Test
    void knownEncodingsFromTheSdm() {
        assertThat(VmcsField.GUEST_CS_SELECTOR.encoding()).isEqualTo(0x0802);
        assertThat(VmcsField.GUEST_RIP.encoding()).isEqualTo(0x681E);
        assertThat(VmcsField.GUEST_IA32_EFER.encoding()).isEqualTo(0x2806);
        assertThat(VmcsField.GUEST_PHYSICAL_ADDRESS.encoding()).isEqualTo(0x2400);
        assertThat(VmcsField.EXIT_QUALIFICATION.encoding()).isEqualTo(0x6400);
        assertThat(VmcsField.VM_EXIT_REASON.encoding()).isEqualTo(0x4402);
        assertThat(VmcsField.GUEST_INTERRUPTIBILITY_INFO.encoding()).isEqualTo(0x4824);
        assertThat(VmcsField.GUEST_ACTIVITY_STATE.encoding()).isEqualTo(0x4826);
        assertThat(VmcsField.GUEST_TR_AR_BYTES.encoding()).isEqualTo(0x4822);
        assertThat(VmcsField.HOST_RIP.encoding()).isEqualTo(0x6C16);
        assertThat(VmcsField.TERTIARY_VM_EXEC_CONTROL.encoding()).isEqualTo(0x2034);
        assertThat(VmcsField.VMX_PREEMPTION_TIMER_VALUE.encoding()).isEqualTo(0x482E);
    }

    @Test
    void lookupByEncodingAndByName() {
        assertThat(VmcsCatalog.byEncoding(0x2807)).get().extracting(FieldRef::name).isEqualTo("GUEST_IA32_EFER_HIGH");
        assertThat(VmcsCatalog.byEncoding(0x681F)).isEmpty();
        assertThat(VmcsCatalog.lookup("guest_rip")).get().extracting(FieldRef::encoding).isEqualTo(0x681E);
        assertThat(VmcsCatalog.lookup("0x4402")).get().extracting(FieldRef::name).isEqualTo("VM_EXIT_REASON");
        assertThat(VmcsCatalog.lookup("NO_SUCH_FIELD")).isEmpty();
    }

    @Test
    void hostAndControlFieldsAreNotVisibleExceptTheOnesKvmLetsUsKnow() {
        for (VmcsField f : VmcsCatalog.fields(Area.HOST)) {
            assertThat(f.provenance()).as(f.name()).isEqualTo(Provenance.NOT_VISIBLE);
        }
        for (VmcsField f : VmcsCatalog.fields(Area.CONTROL)) {
            switch (f) {
                case CR0_READ_SHADOW, CR4_READ_SHADOW -> assertThat(f.provenance()).isEqualTo(Provenance.DERIVED);
                case TSC_OFFSET -> assertThat(f.provenance()).isEqualTo(Provenance.NOT_CAPTURED);
                default -> assertThat(f.provenance()).as(f.name()).isEqualTo(Provenance.NOT_VISIBLE);
            }
        }
    }

    @Test
    void countsAddUp() {
        int total = VmcsCatalog.countByArea().values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).isEqualTo(VmcsField.values().length);
        assertThat(VmcsCatalog.countByProvenance().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(total);
        assertThat(VmcsCatalog.countByArea().get(Area.HOST)).isGreaterThanOrEqualTo(30);
    }
}
