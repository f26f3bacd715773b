package dev.vmscope.app.ui;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The window's layering: no JNA, no raw KVM handles outside the launch check, no nodes in view models. */
class UiArchitectureTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.vmscope.app");

    @Test
    void theAppNeverTouchesJnaOrSignalsItself() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("com.sun.jna..", "sun.misc..").check(APP);
    }

    @Test
    void viewModelsHoldNoNodes() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..",
                        "javafx.fxml..", "org.fxmisc..", "org.controlsfx..")
                .check(APP);
    }

    @Test
    void onlyTheSessionAndLaunchCodeTalkToKvmOrMachines() {
        noClasses().that().resideInAPackage("dev.vmscope.app.ui..")
                .and().doNotHaveSimpleName("LiveSession").and().doNotHaveSimpleName("VmscopeApp")
                .should().dependOnClassesThat().resideInAPackage("dev.vmscope.engine.kvm..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.vmscope.engine.machine.Machine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.vmscope.engine.machine.VcpuRunner")
                .check(APP);
    }

    /**
     * {@code run} and the one-shot commands drive a Machine without a debugger (the capture path measured against
     * a C loop); everything else in the CLI goes through DebugSession, exit sources and traces.
     */
    @Test
    void onlyTheCapturePathOfTheCliDrivesMachines() {
        noClasses().that().resideInAPackage("dev.vmscope.app.cli..")
                .and().haveNameNotMatching(".*\\.(RunCommand|TraceExitsPrinter|ExitSourceOpener)(\\$.*)?")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.vmscope.engine.machine.Machine")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.vmscope.engine.machine.VcpuRunner")
                .check(APP);
    }
}
