package org.nnlab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nnlab.data.ArrayDataset;
import org.nnlab.data.Batch;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Parameter;
import org.nnlab.layer.Pass;
import org.nnlab.net.Net;
import org.nnlab.optim.Adadelta;
import org.nnlab.optim.Adam;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Shape;

class TrainerTest {

    /** 12x12 images of one bar: class 0 horizontal, 1 vertical, 2 diagonal, at random places, with noise. */
    static ArrayDataset bars(int count, long seed) {
        SeededRandom random = new SeededRandom(seed);
        Shape shape = new Shape(12, 12, 1);
        float[] x = new float[count * 144];
        int[] y = new int[count];
        for (int n = 0; n < count; n++) {
            int label = random.nextInt(3);
            y[n] = label;
            int at = 2 + random.nextInt(8);
            for (int i = 0; i < 144; i++) {
                x[n * 144 + i] = (float) (random.nextDouble() * 0.3);
            }
            int r0 = random.nextInt(4), c0 = random.nextInt(4);
            for (int t = 0; t < 8; t++) {
                int row = label == 0 ? at : label == 1 ? 2 + t : r0 + t;
                int col = label == 0 ? 2 + t : label == 1 ? at : c0 + t;
                x[n * 144 + row * 12 + col] += 1f;
            }
        }
        return new ArrayDataset(shape, x, y, 3);
    }

    static Net barsNet(long seed) {
        return Net.builder(12, 12, 1).conv(3, 8).relu().maxPool(2).softmax(3).seed(seed).build();
    }

    static Net labNet(long seed) {
        return Net.builder(24, 24, 1).conv(5, 8).relu().maxPool(2).conv(5, 16).relu().maxPool(3).softmax(10)
                .seed(seed).build();
    }

    static ArrayDataset noise(Shape shape, int count, int classes, long seed) {
        SeededRandom random = new SeededRandom(seed);
        float[] x = new float[count * shape.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextDouble();
        }
        int[] y = new int[count];
        for (int i = 0; i < count; i++) {
            y[i] = random.nextInt(classes);
        }
        return new ArrayDataset(shape, x, y, classes);
    }

    @Test
    void learnsBarsAbove95Percent() {
        Net net = barsNet(7);
        List<Double> losses = new ArrayList<>();
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(20).l2Decay(0.0001).seed(3)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(Trainer t, StepStats stats) {
                        losses.add(stats.loss());
                    }
                }).build();
        trainer.fit(bars(2000, 1), 4);
        Evaluation result = trainer.evaluate(bars(500, 2));
        assertTrue(result.accuracy() > 0.95, "accuracy " + result.accuracy());
        double first = losses.subList(0, 10).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = losses.subList(losses.size() - 10, losses.size()).stream().mapToDouble(d -> d).average()
                .orElseThrow();
        assertTrue(first > 0.8 && last < first / 2, "loss " + first + " -> " + last);
        assertEquals(500, java.util.Arrays.stream(result.confusion()).flatMapToInt(java.util.Arrays::stream).sum());
    }

    @Test
    void sameSeedGivesBitwiseSameWeightsForOneAndTwoThreads() {
        float[][] one = trainLab(1, 20), two = trainLab(2, 20), again = trainLab(1, 20);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "parameter " + i + ", 1 vs 2 threads");
            assertArrayEquals(one[i], again[i], "parameter " + i + ", run 1 vs run 2");
        }
        float[][] other = trainLabWithSeed(2, 20, 99);
        assertFalse(java.util.Arrays.equals(one[0], other[0]), "a different trainer seed must change the result");
    }

    @Test
    void bitwiseSameForOddBatchesAndThreeThreads() {
        float[][] one = trainLab(1, 7), three = trainLab(3, 7);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], three[i], "parameter " + i);
        }
    }

    private static float[][] trainLab(int threads, int batch) {
        return trainLabWithSeed(threads, batch, 5);
    }

    private static float[][] trainLabWithSeed(int threads, int batch, long seed) {
        Net net = labNet(11);
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(batch).threads(threads).l2Decay(0.001)
                .seed(seed).build();
        trainer.fitSteps(noise(net.inputShape(), 200, 10, 4), 12);
        float[][] weights = new float[net.parameters().size()][];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = net.parameters().get(i).value().clone();
        }
        return weights;
    }

    @Test
    void nanInputStopsWithoutTouchingTheWeights() {
        Net net = barsNet(1);
        ArrayDataset data = bars(40, 1);
        Trainer trainer = Trainer.builder(net, new Adam()).batchSize(10).build();
        float[] before = net.parameters().get(0).value().clone();
        Batch batch = new Batch(net.inputShape(), 10);
        batch.fill(data, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 10, null);
        batch.inputs()[17] = Float.NaN;
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> trainer.step(batch));
        assertTrue(e.getMessage().startsWith("step 1: loss is NaN, first non-finite value in the input"),
                e.getMessage());
        assertArrayEquals(before, net.parameters().get(0).value());
    }

    /** Passes values through; its one parameter gets the gradient {@code spike} (the loss stays finite). */
    static final class GradientSpike extends Layer {
        private final Parameter parameter = new Parameter("spike", 3, 0f, 0f);
        private final float spike;

        GradientSpike(Shape shape, float spike) {
            super(shape, shape);
            this.spike = spike;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(parameter);
        }

        @Override
        public void forward(Pass pass, float[] in, float[] out) {
            System.arraycopy(in, 0, out, 0, pass.batch() * inputShape().size());
        }

        @Override
        public void backward(Pass pass, float[] in, float[] out, float[] outGrad, float[] inGrad) {
            parameter.grad()[1] = spike;
            if (inGrad != null) {
                System.arraycopy(outGrad, 0, inGrad, 0, pass.batch() * inputShape().size());
            }
        }
    }

    @Test
    void nonFiniteGradientWithFiniteLossStopsBeforeTheUpdate() {
        for (float spike : new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}) {
            Net net = Net.builder(12, 12, 1).conv(3, 8).relu().layer("GradientSpike", s -> new GradientSpike(s, spike))
                    .maxPool(2).softmax(3).seed(3).build();
            Batch batch = new Batch(net.inputShape(), 10);
            batch.fill(bars(40, 1), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 10, null);
            float[] before = net.parameters().get(0).value().clone();
            Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(10).build();
            NonFiniteException e = assertThrows(NonFiniteException.class, () -> trainer.step(batch), "spike " + spike);
            assertTrue(e.getMessage().startsWith("step 1: the gradient of ") && e.getMessage().contains("GradientSpike")
                    && e.getMessage().endsWith("is not finite; parameters were not updated"), e.getMessage());
            assertArrayEquals(before, net.parameters().get(0).value());
        }
    }

    @Test
    void nonFiniteErrorsNameTheLayerAndSkipPolicyGoesOn() {
        Net net = barsNet(1);
        ArrayDataset data = bars(40, 1);
        Batch batch = new Batch(net.inputShape(), 10);
        batch.fill(data, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 10, null);
        net.parameters().get(1).value()[2] = Float.POSITIVE_INFINITY; // a Conv2d bias
        Trainer stopping = Trainer.builder(net, new Adadelta()).batchSize(10).build();
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> stopping.step(batch));
        assertTrue(e.getMessage().contains("the output of layer 1 (Conv2d)"), e.getMessage());

        Net other = barsNet(1);
        float[] before = other.parameters().get(0).value().clone();
        Trainer skipping = Trainer.builder(other, new Adadelta()).batchSize(10)
                .onNonFinite(NonFinitePolicy.SKIP_BATCH).build();
        batch.inputs()[5] = Float.NaN;
        StepStats stats = skipping.step(batch);
        assertTrue(Double.isNaN(stats.loss()));
        assertEquals(1, skipping.skippedSteps());
        assertArrayEquals(before, other.parameters().get(0).value());
        batch.fill(data, new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 0, 10, null);
        assertTrue(Double.isFinite(skipping.step(batch).loss()));
        assertFalse(java.util.Arrays.equals(before, other.parameters().get(0).value()), "a good batch trains");
    }

    @Test
    void stoppingAndGoingOnEqualsOneRunEvenMidEpoch() {
        ArrayDataset data = bars(70, 3);
        Net straight = Net.builder(12, 12, 1).conv(3, 4).relu().maxPool(2).dropout(0.3).softmax(3).seed(5).build();
        Trainer a = Trainer.builder(straight, new Adam()).batchSize(8).threads(1).build();
        a.fitSteps(data, 23);
        Net split = Net.builder(12, 12, 1).conv(3, 4).relu().maxPool(2).dropout(0.3).softmax(3).seed(5).build();
        Trainer b = Trainer.builder(split, new Adam()).batchSize(8).threads(2).build();
        b.fitSteps(data, 5); // stops inside the first epoch (9 steps per epoch)
        b.fitSteps(data, 14);
        b.fitSteps(data, 23);
        assertEquals(a.epoch(), b.epoch());
        for (int i = 0; i < straight.parameters().size(); i++) {
            assertArrayEquals(straight.parameters().get(i).value(), split.parameters().get(i).value());
        }
    }

    @Test
    void labelsOutOfRangeNameTheExample() {
        Net net = barsNet(1);
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(4).build();
        Batch batch = new Batch(net.inputShape(), 4);
        batch.fill(bars(4, 1), new int[] {0, 1, 2, 3}, 0, 4, null);
        batch.labels()[2] = 3;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer.step(batch));
        assertEquals("label of example 2 is 3, expected a class in [0, 3)", e.getMessage());
    }

    @Test
    void datasetOfTheWrongShapeIsRejected() {
        Trainer trainer = Trainer.builder(labNet(1), new Adadelta()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer.fit(noise(new Shape(28, 28, 1), 10, 10, 1), 1));
        assertEquals("dataset examples are 28x28x1 but the net takes 24x24x1", e.getMessage());
    }

    @Test
    void listenersSeeStepsEvaluationsAndEpochsAndCanStop() {
        Net net = barsNet(2);
        ArrayDataset train = bars(100, 1), test = bars(30, 2);
        List<String> events = new ArrayList<>();
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(20).evaluateEvery(2, test)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(Trainer t, StepStats s) {
                        events.add("step" + s.step());
                        assertTrue(s.examplesPerSecond() > 0 && s.batchSize() == 20 && s.decayLoss() == 0);
                    }

                    @Override
                    public void onEvaluation(Trainer t, Evaluation e) {
                        events.add("eval" + e.step());
                        assertEquals(30, e.examples());
                    }

                    @Override
                    public void onEpoch(Trainer t, EpochStats s) {
                        events.add("epoch" + s.epoch());
                        if (s.epoch() == 2) {
                            t.stop();
                        }
                    }
                }).build();
        trainer.fit(train, 5);
        assertEquals(List.of("step1", "step2", "eval2", "step3", "step4", "eval4", "step5", "epoch1",
                "step6", "eval6", "step7", "step8", "eval8", "step9", "step10", "eval10", "epoch2"), events);
        assertEquals(10, trainer.steps());
    }

    @Test
    void aNetUsedFromTwoPlacesAtOnceFailsFast() {
        Net[] holder = new Net[1];
        Net net = Net.builder(4, 4, 1).layer("Reentrant", in -> new Layer(in, in) {
            @Override
            public void forward(Pass pass, float[] input, float[] out) {
                holder[0].predict(new float[16]); // a second use while the first is running
            }

            @Override
            public void backward(Pass pass, float[] input, float[] out, float[] outGrad, float[] inGrad) {
            }
        }).softmax(2).build();
        holder[0] = net;
        assertThrows(ConcurrentModificationException.class, () -> net.predict(new float[16]));
    }

    @Test
    void steadyStateTrainingAllocatesAlmostNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Net net = labNet(3);
        ArrayDataset data = noise(net.inputShape(), 400, 10, 1);
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(20).threads(2).build();
        trainer.fitSteps(data, 100); // warm up: buffers, JIT
        long before = threads.getCurrentThreadAllocatedBytes();
        trainer.fitSteps(data, 300);
        long perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 200;
        // StepStats records and the epoch's shuffled order are the only allocations; activations,
        // gradients and scratch are reused.
        assertTrue(perStep < 512, perStep + " bytes allocated per step");
    }

    @Test
    void decayAddsToTheObjectiveButNotForBiases() {
        Net net = barsNet(5);
        Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(5).l2Decay(0.5).l1Decay(0.25).build();
        Batch batch = new Batch(net.inputShape(), 5);
        batch.fill(bars(5, 3), new int[] {0, 1, 2, 3, 4}, 0, 5, null);
        double expected = 0;
        for (Parameter p : net.parameters()) {
            for (float w : p.value()) {
                expected += p.l2Multiplier() * 0.5 * 0.5 * w * w + p.l1Multiplier() * 0.25 * Math.abs(w);
            }
        }
        StepStats stats = trainer.step(batch);
        assertEquals(expected, stats.decayLoss(), 1e-6 * expected);
        assertTrue(expected > 0);
        assertEquals(0f, net.parameters().get(1).l2Multiplier(), "conv biases are not decayed");
    }
}
