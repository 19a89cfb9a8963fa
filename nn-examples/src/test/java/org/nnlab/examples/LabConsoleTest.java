package org.nnlab.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.train.StepStats;

class LabConsoleTest {

    private static StepStats step(long n, double loss) {
        return new StepStats(n, 1, 20, loss, 0, 1000, 1, 1);
    }

    @Test
    void warnsOnceWhenTheLossPlateausAboveHalfAfter3000Steps() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        RunRecorder recorder = new RunRecorder();
        MnistDataset samples = new MnistDataset(new byte[784], new byte[1], List.of("0", "1"));
        try (LabConsole console = new LabConsole(out, recorder, samples, 0, 4000, 20, false)) {
            for (long s = 1; s <= 3500; s++) {
                StepStats stats = step(s, 0.8);
                recorder.onStep(null, stats);
                console.onStep(null, stats);
            }
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.split("warning: the loss is still", -1).length - 1, text);
        assertTrue(text.contains("warning: the loss is still 0.80 after 3000 steps"), text);
    }

    @Test
    void noWarningForAHealthyRun() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunRecorder recorder = new RunRecorder();
        MnistDataset samples = new MnistDataset(new byte[784], new byte[1], List.of("0", "1"));
        try (LabConsole console = new LabConsole(new PrintStream(bytes, true, StandardCharsets.UTF_8), recorder,
                samples, 0, 4000, 20, false)) {
            for (long s = 1; s <= 3500; s++) {
                StepStats stats = step(s, 2.3 * Math.exp(-s / 300.0));
                recorder.onStep(null, stats);
                console.onStep(null, stats);
            }
        }
        assertTrue(!bytes.toString(StandardCharsets.UTF_8).contains("warning"));
    }

    @Test
    void gridCaptionsMarkRightAndWrongWithColourOnlyWhenAsked() {
        float[] images = new float[2 * 576];
        images[100] = 1f;
        String plain = DigitArt.grid(images, 24, 2, new int[] {7, 8}, new int[] {7, 3}, 10, false);
        assertTrue(plain.contains("7 ok") && plain.contains("8 NO (3)"), plain);
        assertTrue(!plain.contains("\u001b["), "no escape codes without colour");
        String coloured = DigitArt.grid(images, 24, 2, new int[] {7, 8}, new int[] {7, 3}, 10, true);
        assertTrue(coloured.contains(DigitArt.GREEN + "7 ok") && coloured.contains(DigitArt.RED + "8 NO (3)"));
        assertEquals(6 + 1, plain.split("\n").length, "6 lines of art and a caption line:\n" + plain);
    }
}
