package org.nnlab.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks against the real MNIST files in {@code MNIST_DIR} (or the fetch cache). Without them these
 * tests are SKIPPED, and say so on stderr: they are not coverage then. CI sets MNIST_DIR.
 */
class RealMnistTest {
    private static Path dir;

    @BeforeAll
    static void locate() {
        dir = realMnistDir();
        if (dir == null) {
            System.err.println("*** RealMnistTest SKIPPED: MNIST_DIR is not set and the cache "
                    + Mnist.FILES.defaultCacheDir() + " has no MNIST; the real-MNIST checks did not run ***");
        }
    }

    /** MNIST_DIR, else the fetch cache if it holds all four files (e.g. after running the lab), else null. */
    static Path realMnistDir() {
        String env = System.getenv("MNIST_DIR");
        if (env != null && !env.isBlank()) {
            return Files.isDirectory(Path.of(env)) ? Path.of(env) : null;
        }
        Path cache = Mnist.FILES.defaultCacheDir();
        boolean cached = Mnist.FILES.files().stream().allMatch(f -> DatasetFiles.find(cache, f).isPresent());
        return cached ? cache : null;
    }

    @Test
    void countsFirstLabelsAndChecksums() throws IOException {
        assumeTrue(dir != null, "no real MNIST (MNIST_DIR or the cache): real MNIST checks skipped");
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
