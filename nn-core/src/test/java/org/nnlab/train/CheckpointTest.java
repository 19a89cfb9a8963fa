package org.nnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnlab.data.ArrayDataset;
import org.nnlab.io.ModelFormatException;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.optim.Adam;
import org.nnlab.optim.Optimizer;
import org.nnlab.optim.Sgd;

class CheckpointTest {
    @TempDir
    Path dir;

    static Net net() {
        return Net.builder(12, 12, 1).conv(3, 4).relu().maxPool(2).dropout(0.2).dense(8).tanh().softmax(3).seed(9)
                .build();
    }

    private static Trainer trainer(Net net, Optimizer optimizer, TrainingListener... listeners) {
        Trainer.Builder b = Trainer.builder(net, optimizer).batchSize(7).l2Decay(0.001).seed(4).threads(2);
        for (TrainingListener l : listeners) {
            b.listener(l);
        }
        return b.build();
    }

    private static void assertSameWeights(Net a, Net b) {
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).value(), b.parameters().get(i).value(),
                    a.parameters().get(i).name());
        }
    }

    /** Train N+M straight; train N, checkpoint, load into fresh objects, train to N+M: bitwise equal. */
    private void resumeIsExact(Supplier<Optimizer> optimizer, long n, long total) throws IOException {
        ArrayDataset data = TrainerTest.bars(50, 2); // 8 steps per epoch: n falls inside an epoch
        Net straight = net();
        WeightAveraging straightAverage = new WeightAveraging(total - 6);
        trainer(straight, optimizer.get(), straightAverage).fitSteps(data, total);

        Net first = net();
        Path file = dir.resolve("c.nnlab");
        Trainer t1 = trainer(first, optimizer.get(), new WeightAveraging(total - 6),
                new Checkpointer(file, n, false, Map::of));
        t1.fitSteps(data, n);

        Checkpoint c = Checkpoint.load(file);
        assertEquals(n, c.steps());
        WeightAveraging resumedAverage = new WeightAveraging(total - 6);
        Trainer t2 = trainer(c.net(), optimizer.get(), resumedAverage);
        c.restore(t2);
        t2.fitSteps(data, total);
        assertEquals(total, t2.steps());
        assertSameWeights(straight, c.net());
        straightAverage.applyTo(straight.parameters());
        resumedAverage.applyTo(c.net().parameters());
        assertSameWeights(straight, c.net());
    }

    @Test
    void resumingIsBitwiseExactWithAdadelta() throws IOException {
        resumeIsExact(() -> new Adadelta(0.95, 1e-6), 13, 29);
    }

    @Test
    void resumingIsBitwiseExactWithAdamAndItsStepCount() throws IOException {
        resumeIsExact(Adam::new, 5, 20); // the average starts before the checkpoint: its state is saved too
    }

    @Test
    void resumingIsBitwiseExactWithMomentum() throws IOException {
        resumeIsExact(() -> new Sgd(0.05, 0.9, true), 16, 21);
    }

    @Test
    void restoreRefusesOtherSettingsAndChangesNothing() throws IOException {
        ArrayDataset data = TrainerTest.bars(30, 2);
        Trainer t = trainer(net(), new Adadelta());
        t.fitSteps(data, 3);
        Path file = dir.resolve("c.nnlab");
        Checkpoint.save(t, file);
        Checkpoint c = Checkpoint.load(file);
        Trainer other = Trainer.builder(c.net(), new Adadelta()).batchSize(8).l2Decay(0.001).seed(4).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.restore(other));
        assertEquals("cannot restore the checkpoint: its batch size is 7, the trainer's is 8", e.getMessage());
        assertEquals(0, other.steps());
        Trainer adam = trainer(c.net(), new Adam());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> c.restore(adam)).getMessage()
                .contains("its optimizer is Adadelta"));
    }

    @Test
    void resumingMidEpochOnAnotherDatasetSaysSo() throws IOException {
        Trainer t = trainer(net(), new Adadelta());
        t.fitSteps(TrainerTest.bars(30, 2), 2); // 2 of 5 steps into the epoch
        Path file = dir.resolve("c.nnlab");
        Checkpoint.save(t, file);
        Checkpoint c = Checkpoint.load(file);
        Trainer resumed = trainer(c.net(), new Adadelta());
        c.restore(resumed);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resumed.fitSteps(TrainerTest.bars(31, 2), 4));
        assertEquals("the checkpoint was taken 14 examples into an epoch of a 30-example dataset; this dataset "
                + "has 31", e.getMessage());
        assertEquals(2, resumed.steps());
    }

    @Test
    void aModelFileIsNotACheckpointButACheckpointHoldsANet() throws IOException {
        Trainer t = trainer(net(), new Adadelta());
        t.fitSteps(TrainerTest.bars(30, 2), 2);
        Path model = dir.resolve("m.nnlab"), checkpoint = dir.resolve("c.nnlab");
        t.net().save(model);
        Checkpoint.save(t, checkpoint);
        assertEquals("kind", assertThrows(ModelFormatException.class, () -> Checkpoint.load(model)).field());
        assertSameWeights(t.net(), Net.load(checkpoint));
    }

    @Test
    void nonFiniteWeightsAreNeverCheckpointed() throws IOException {
        Trainer t = trainer(net(), new Adadelta());
        t.fitSteps(TrainerTest.bars(30, 2), 2);
        Path file = dir.resolve("c.nnlab");
        Checkpoint.save(t, file);
        byte[] good = Files.readAllBytes(file);
        t.net().parameters().get(2).value()[0] = Float.NaN;
        assertThrows(NonFiniteException.class, () -> Checkpoint.save(t, file));
        assertArrayEquals(good, Files.readAllBytes(file), "the previous checkpoint is untouched");
    }

    @Test
    void hostileCheckpointsGiveTypedErrors() throws IOException {
        Trainer t = trainer(net(), new Adam(), new WeightAveraging(1));
        t.fitSteps(TrainerTest.bars(30, 2), 3);
        Path file = dir.resolve("c.nnlab");
        Checkpoint.save(t, file);
        byte[] b = Files.readAllBytes(file);
        for (int cut = 0; cut < b.length; cut += 97) {
            Files.write(file, java.util.Arrays.copyOf(b, cut));
            assertThrows(ModelFormatException.class, () -> Checkpoint.load(file), "cut at " + cut);
        }
        for (int at = 0; at < b.length; at += 61) {
            byte[] flipped = b.clone();
            flipped[at] ^= 0x10;
            Files.write(file, flipped);
            assertThrows(ModelFormatException.class, () -> Checkpoint.load(file), "flip at " + at);
        }
    }

    /** A child JVM saving checkpoints in a loop is killed at random moments; the file always loads. */
    @Test
    void killedWhileWritingLeavesALoadableCheckpoint() throws Exception {
        Path file = dir.resolve("killed.nnlab");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.Random random = new java.util.Random(1);
        for (int round = 0; round < 4; round++) {
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CheckpointWriterChild.class.getName(), file.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                FileTime seen = null;
                int changes = 0;
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (changes < 3 && System.nanoTime() < deadline && child.isAlive()) { // several writes done
                    FileTime now = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
                    if (now != null && !now.equals(seen)) {
                        seen = now;
                        changes++;
                    }
                    Thread.sleep(5);
                }
                assertTrue(child.isAlive(), "the child exited early with " + (child.isAlive() ? 0 : child.exitValue()));
                Thread.sleep(random.nextInt(50));
            } finally {
                child.destroyForcibly().waitFor();
            }
            Checkpoint c = Checkpoint.load(file); // throws if the kill left a partial file
            assertTrue(c.steps() > 0);
        }
    }

    /** Trains a net of ~1.6 MB of weights and checkpoints after every step, until killed. */
    public static final class CheckpointWriterChild {
        public static void main(String[] args) throws IOException {
            Net net = Net.builder(28, 28, 1).dense(512).relu().softmax(10).seed(3).build();
            ArrayDataset data = TrainerTest.noise(net.inputShape(), 64, 10, 5);
            Trainer t = Trainer.builder(net, new Adadelta()).batchSize(8).threads(1)
                    .listener(new Checkpointer(Path.of(args[0]), 1, false, Map::of)).build();
            t.fitSteps(data, Long.MAX_VALUE);
        }
    }

}
