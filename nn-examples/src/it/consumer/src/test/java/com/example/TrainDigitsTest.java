package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.nnlab.net.Net;
import org.nnlab.net.ShapeException;

class TrainDigitsTest {
    @Test
    void theLabNetLearnsFromTheArtifactsAlone() {
        double accuracy = TrainDigits.train().accuracy();
        assertTrue(accuracy > 0.9, "accuracy " + accuracy);
    }

    @Test
    void savesLoadsAndPredicts() throws Exception {
        Net net = Net.builder(24, 24, 1).conv(5, 8).relu().maxPool(2).softmax(10).build();
        Path file = Files.createTempFile("consumer", ".nnlab");
        net.save(file);
        float[] image = new float[576];
        assertEquals(net.predict(image), Net.load(file).predict(image));
        assertThrows(ShapeException.class, () -> net.predict(new float[10]));
    }

    @Test
    void theReadmeExampleTrainsOnRealMnist() throws Exception {
        String dir = System.getenv("MNIST_DIR");
        java.nio.file.Path cache = org.nnlab.mnist.Mnist.FILES.defaultCacheDir();
        if (dir == null && org.nnlab.mnist.Mnist.FILES.files().stream()
                .allMatch(f -> org.nnlab.mnist.DatasetFiles.find(cache, f).isPresent())) {
            dir = cache.toString();   // where the lab's fetch put it
        }
        if (dir == null) {
            System.err.println("*** no MNIST (MNIST_DIR unset, nothing in " + cache
                    + "): the README example was compiled but NOT run ***");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "no MNIST");
        Path model = Files.createTempFile("readme", ".nnlab");
        double accuracy = ReadmeExample.run(Path.of(dir), model);
        System.out.println("README example, one epoch: test accuracy " + accuracy);
        // one epoch with ConvNetJS's Adadelta defaults: 95.8 % in the lab's run (docs/lab.md)
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);
        assertEquals(10, Net.load(model).outputShape().size());
    }

    @Test
    void theClasspathHoldsJarsNotTheBuildsClasses() {
        String classpath = System.getProperty("java.class.path");
        for (String entry : classpath.split(java.io.File.pathSeparator)) {
            assertTrue(!entry.contains("nn-core/target/classes") && !entry.contains("nn-core/target/test-classes")
                    && !entry.contains("nn-mnist/target"), entry);
        }
        String core = Net.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(core.endsWith(".jar") && core.contains("it-repo"), core);
    }
}
