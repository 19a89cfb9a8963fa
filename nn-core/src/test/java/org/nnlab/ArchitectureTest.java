package org.nnlab;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Package rules of nn-core: no cycles, layers below nets below training, no Java serialization. */
class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.nnlab");

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.nnlab.(*)..").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void lowerLayersDoNotSeeUpperOnes() {
        noClasses().that().resideInAnyPackage("org.nnlab.tensor..", "org.nnlab.layer..", "org.nnlab.optim..",
                        "org.nnlab.data..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nnlab.net..", "org.nnlab.train..")
                .check(CORE);
        noClasses().that().resideInAnyPackage("org.nnlab.io..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nnlab.tensor..", "org.nnlab.layer..",
                        "org.nnlab.optim..", "org.nnlab.data..", "org.nnlab.net..", "org.nnlab.train..")
                .check(CORE);
        noClasses().that().resideInAnyPackage("org.nnlab.tensor..")
                .should().dependOnClassesThat().resideInAnyPackage("org.nnlab.layer..", "org.nnlab.optim..")
                .check(CORE);
    }

    @Test
    void noJavaSerialization() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
                .check(CORE);
    }

    @Test
    void coreUsesOnlyTheJdkAndEjml() {
        noClasses().that().doNotHaveFullyQualifiedName("org.nnlab.tensor.VectorGemm")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "org.nnlab..", "org.ejml..")
                .check(CORE);
        // the one exception: the opt-in kernel, on the JDK's own incubating Vector API
        noClasses().that().haveFullyQualifiedName("org.nnlab.tensor.VectorGemm")
                .should().dependOnClassesThat().resideOutsideOfPackages("java..", "jdk.incubator.vector..",
                        "org.nnlab.tensor..")
                .check(CORE);
    }
}
