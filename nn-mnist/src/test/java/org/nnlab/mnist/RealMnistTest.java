package org.nnlab.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks against the real MNIST files in {@code MNIST_DIR}. Without them these tests are SKIPPED,
 * and say so on stderr: they are not coverage then. CI sets MNIST_DIR.
 */
class RealMnistTest {
    private static Path dir;

    @BeforeAll
    static void locate() {
        String env = System.getenv("MNIST_DIR");
        dir = env == null || env.isBlank() ? null : Path.of(env);
        if (dir == null || !Files.isDirectory(dir)) {
            System.err.println("*** RealMnistTest SKIPPED: MNIST_DIR is " + (env == null ? "not set" : env
                    + ", not a directory") + "; the real-MNIST checks did not run ***");
        }
    }

    @Test
    void countsFirstLabelsAndChecksums() throws IOException {
        assumeTrue(dir != null && Files.isDirectory(dir), "MNIST_DIR not set or missing: real MNIST checks skipped");
        MnistSplits data = Mnist.load(dir); // verifies all four SHA-256 sums
        assertEquals(60_000, data.train().size());
        assertEquals(10_000, data.test().size());
        int[] train = {5, 0, 4, 1, 9}, test = {7, 2, 1, 0, 4};
        for (int i = 0; i < 5; i++) {
            assertEquals(train[i], data.train().label(i), "train label " + i);
            assertEquals(test[i], data.test().label(i), "test label " + i);
        }
        int[] counts = new int[10];
        for (int i = 0; i < data.train().size(); i++) {
            counts[data.train().label(i)]++;
        }
        assertEquals(6742, counts[1], "ones in the training set");
    }
}
