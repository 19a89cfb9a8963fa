package org.nnlab.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlab.mnist.DatasetFiles;
import org.nnlab.mnist.Mnist;

/**
 * The lab on real MNIST from {@code MNIST_DIR} (CI sets it), else from the fetch cache. Without either
 * these tests are SKIPPED and say so loudly: they are the lab's only end-to-end checks.
 */
class MnistLabRealDataTest {
    private static String dir;

    @BeforeAll
    static void locate() {
        String env = System.getenv("MNIST_DIR");
        Path cache = Mnist.FILES.defaultCacheDir();
        if (env != null && !env.isBlank()) {
            dir = Files.isDirectory(Path.of(env)) ? env : null;
        } else if (Mnist.FILES.files().stream().allMatch(f -> DatasetFiles.find(cache, f).isPresent())) {
            dir = cache.toString(); // fetched by an earlier lab run
        }
        if (dir == null) {
            System.err.println("*** MnistLabRealDataTest SKIPPED: MNIST_DIR is not set and the cache " + cache
                    + " has no MNIST; the lab's smoke and accuracy tests did not run ***");
        }
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": ([-0-9.eE]+)").matcher(json);
        assertTrue(m.find(), key + " missing from " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void smokeRunLossFallsFromLn10AndTheJsonLineIsComplete(@TempDir Path out) throws IOException {
        assumeTrue(dir != null, "MNIST_DIR not set");
        MnistLabCliTest.Result r = MnistLabCliTest.run("--data", dir, "--train-limit", "1000", "--test-limit", "500",
                "--steps", "250", "--quiet", "--no-ui", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, "--quiet prints only the JSON line: " + r.out());
        String json = lines[0];
        assertTrue(json.startsWith("{\"dataset\": \"mnist\", \"epochs\": 5, \"steps\": 250, \"batch\": 20"), json);
        for (String key : List.of("threads", "params", "train_seconds", "train_examples_per_s", "test_accuracy",
                "test_accuracy_4crop", "final_loss")) {
            assertTrue(number(json, key) >= 0, key);
        }
        assertEquals(5994, number(json, "params"));

        List<String> loss = Files.readAllLines(out.resolve("loss.csv"));
        assertEquals(251, loss.size());
        double first = 0;
        for (int i = 1; i <= 10; i++) {
            first += Double.parseDouble(loss.get(i).split(",")[1]) / 10;
        }
        assertTrue(Math.abs(first - Math.log(10)) < 0.5, "the first steps' loss " + first + " is near ln 10");
        assertTrue(number(json, "final_loss") < first - 0.5, "loss fell: " + first + " -> " + number(json, "final_loss"));
        assertTrue(number(json, "test_accuracy") > 0.5, json);
        for (String file : List.of("report.html", "loss.png", "confusion.png", "samples.png", "summary.json",
                "evaluations.csv")) {
            assertTrue(Files.size(out.resolve(file)) > 0, file);
        }
    }

    @Test
    void oneEpochOnFullMnist(@TempDir Path out) {
        assumeTrue(dir != null, "MNIST_DIR not set");
        MnistLabCliTest.Result r = MnistLabCliTest.run("--data", dir, "--epochs", "1", "--quiet", "--no-ui",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        double accuracy = number(r.out(), "test_accuracy");
        System.out.println("MnistLab, one epoch on full MNIST: " + r.out().strip());
        assertTrue(accuracy >= ONE_EPOCH_ACCURACY, "test accuracy after one epoch: " + accuracy);
    }

    /**
     * The lab issue's bar. One epoch with the lab's defaults (seed 1, the mean of the last 1 000 steps'
     * weights) measured 98.55 % (docs/lab.md); runs are bitwise reproducible, so this does not flake.
     */
    static final double ONE_EPOCH_ACCURACY = 0.985;

    /** Killed at step 120 (here: stopped), resumed to 250: the same model, bitwise, and the same curves. */
    @Test
    void resumedRunEqualsTheUninterruptedOneAndEvaluateAgrees(@TempDir Path tmp) throws IOException {
        assumeTrue(dir != null, "MNIST_DIR not set");
        Path straight = tmp.resolve("straight"), split = tmp.resolve("split");
        String[] common = {"--data", dir, "--train-limit", "2000", "--test-limit", "500", "--quiet", "--no-ui",
            "--checkpoint-every", "100"};
        MnistLabCliTest.Result a = MnistLabCliTest.run(concat(common, "--steps", "250", "--out", straight.toString()));
        assertEquals(0, a.code(), a.err());
        MnistLabCliTest.Result b = MnistLabCliTest.run(concat(common, "--steps", "120", "--out", split.toString()));
        assertEquals(0, b.code(), b.err());
        MnistLabCliTest.Result refused = MnistLabCliTest.run("--resume", split.toString(), "--batch", "10");
        assertEquals(2, refused.code());
        assertTrue(refused.err().contains("--batch cannot be given with it"), refused.err());
        MnistLabCliTest.Result c = MnistLabCliTest.run("--resume", split.toString(), "--steps", "250", "--quiet",
                "--data", dir, "--threads", "1");
        assertEquals(0, c.code(), c.err());
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.nnlab")),
                Files.readAllBytes(split.resolve("model.nnlab")));
        assertEquals(Files.readAllLines(straight.resolve("loss.csv")), Files.readAllLines(split.resolve("loss.csv")));
        assertEquals(number(a.out(), "test_accuracy"), number(c.out(), "test_accuracy"));

        MnistLabCliTest.Result e = MnistLabCliTest.run("--evaluate", split.resolve("model.nnlab").toString(),
                "--data", dir, "--test-limit", "500", "--quiet");
        assertEquals(0, e.code(), e.err());
        assertEquals(number(a.out(), "test_accuracy"), number(e.out(), "test_accuracy"), e.out());
        assertEquals(number(a.out(), "test_accuracy_4crop"), number(e.out(), "test_accuracy_4crop"), e.out());
        assertTrue(Files.size(split.resolve("model-convnetjs.json")) > 100_000);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
