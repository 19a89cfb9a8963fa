package org.nnlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line behaviour that needs no real data: help, invalid values, broken data. */
class MnistLabCliTest {

    record Result(int code, String out, String err) {
    }

    static synchronized Result run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = MnistLab.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void helpListsTheOptions() {
        Result r = run("--help");
        assertEquals(0, r.code());
        for (String option : new String[] {"--epochs", "--steps", "--batch", "--threads", "--seed", "--data",
            "--dataset", "--optimizer", "--out", "--no-ui", "--quiet", "--help"}) {
            assertTrue(r.out().contains(option), option + " missing from:\n" + r.out());
        }
    }

    @Test
    void invalidValuesExitWithCode2AndAClearMessage() {
        assertInvalid("--batch must be in [1, 4096], got 0", "--batch", "0");
        assertInvalid("--dataset must be mnist or fashion, got cifar", "--dataset", "cifar");
        assertInvalid("--optimizer must be adadelta, adam, adagrad or sgd, got rmsprop", "--optimizer", "rmsprop");
        assertInvalid("--threads must be in [1, 256], got 0", "--threads", "0");
        assertInvalid("Invalid value for option '--epochs': 'ten' is not an int", "--epochs", "ten");
        assertInvalid("Unknown option: '--colour'", "--colour");
    }

    private static void assertInvalid(String message, String... args) {
        Result r = run(args);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(message), r.err());
    }

    @Test
    void brokenDataEndsWithOneLineNamingTheFileAndNoStackTrace(@TempDir Path dir) throws IOException {
        for (String name : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            Files.write(dir.resolve(name), new byte[] {0, 0, 8, 3, 0, 0});
        }
        Result r = run("--data", dir.toString(), "--quiet", "--out", dir.resolve("out").toString());
        assertEquals(1, r.code());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("error: " + dir.resolve("train-images-idx3-ubyte")
                + ": item count at byte 6: file ends inside the header (truncated)"), lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(dir.resolve("out")), "nothing written for a failed run");

        Result verbose = run("--data", dir.toString(), "--quiet", "--verbose");
        assertTrue(verbose.err().contains("\tat org.nnlab.mnist.IdxReader"), "--verbose shows the trace");
    }

    @Test
    void missingFilesSayWhereToPutThem(@TempDir Path dir) {
        Result r = run("--data", dir.toString(), "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("train-images-idx3-ubyte (or train-images-idx3-ubyte.gz) is not in " + dir),
                r.err());
    }

    @Test
    void aBadModelFileEndsWithOneLineAndExitCode1(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("model.nnlab");
        Files.write(model, new byte[] {(byte) 0x89, 'N', 'N', 'L', 'A', 'B', '\r', '\n', 1, 0, 1, 0, 50, 0});
        Result r = run("--evaluate", model.toString(), "--quiet");
        assertEquals(1, r.code(), r.err());
        assertEquals("error: " + model + ": kind at offset 10: file ends (or reaches its checksum) after 10 bytes; "
                + "expected 2 more for this field (file truncated?)", r.err().strip());
        Files.writeString(model, "not a model");
        r = run("--evaluate", model.toString(), "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: " + model + ": magic at offset 0: expected an nnlab model file"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "no stack trace: " + r.err());
    }

    @Test
    void resumeNeedsACheckpoint(@TempDir Path dir) {
        Result r = run("--resume", dir.toString(), "--quiet");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("checkpoint.nnlab"), r.err());
    }
}
