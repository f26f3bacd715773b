package dev.vmscope.engine;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's layers, bottom up: the leaves (sys: JNA and kernel structs; config: the user's words and their
 * one error; x86: the decoder; time: the run's clock and how times read), kvm, exit, kernel events, trace,
 * machine, vmcs, debug, and the tools on top (gdb, walkthrough). A layer may use any layer below it and none above;
 * no two packages depend on each other. The engine never uses JavaFX, only sys and kvm call native code through
 * JNA, and only sys.ProcessSignals touches {@code sun.misc}.
 */
class ArchitectureTest {
    private static final JavaClasses ENGINE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vmscope.engine");

    @Test
    void layersPointDown() {
        String e = "dev.vmscope.engine.";
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("leaves").definedBy(e + "sys..", e + "config..", e + "x86..", e + "time..")
                .layer("kvm").definedBy(e + "kvm..")
                .layer("exit").definedBy(e + "exit..")
                .layer("kernel").definedBy(e + "kernel..")
                .layer("trace").definedBy(e + "trace..")
                .layer("machine").definedBy(e + "machine..")
                .layer("vmcs").definedBy(e + "vmcs..")
                .layer("debug").definedBy(e + "debug..")
                .layer("tools").definedBy(e + "gdb..", e + "walkthrough..")
                .whereLayer("tools").mayNotBeAccessedByAnyLayer()
                .whereLayer("debug").mayOnlyBeAccessedByLayers("tools")
                .whereLayer("vmcs").mayOnlyBeAccessedByLayers("debug", "tools")
                .whereLayer("machine").mayOnlyBeAccessedByLayers("debug", "tools")
                .whereLayer("trace").mayOnlyBeAccessedByLayers("machine", "vmcs", "debug", "tools")
                .whereLayer("kernel").mayOnlyBeAccessedByLayers("trace", "machine", "vmcs", "debug", "tools")
                .whereLayer("exit").mayOnlyBeAccessedByLayers("kernel", "trace", "machine", "vmcs", "debug", "tools")
                .whereLayer("kvm").mayOnlyBeAccessedByLayers("machine", "debug", "tools")
                .check(ENGINE);
    }

    @Test
    void noPackageCycles() {
        slices().matching("dev.vmscope.engine.(**)").should().beFreeOfCycles().check(ENGINE);
    }

    @Test
    void theEngineNeverUsesJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..").check(ENGINE);
    }

    @Test
    void onlyProcessSignalsUsesTheJdksUnsupportedSignalApi() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.vmscope.engine.sys.ProcessSignals")
                .should().dependOnClassesThat().resideInAnyPackage("sun.misc..").check(ENGINE);
    }

    @Test
    void onlySysAndKvmUseJna() {
        noClasses().that().resideOutsideOfPackages("dev.vmscope.engine.sys..", "dev.vmscope.engine.kvm..")
                .should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..").check(ENGINE);
    }
}
