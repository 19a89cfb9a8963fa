package org.nnlab.train;

import java.util.ArrayList;
import java.util.List;
import org.nnlab.data.Batch;
import org.nnlab.data.Dataset;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Parameter;
import org.nnlab.net.Net;
import org.nnlab.net.ShapeException;
import org.nnlab.optim.Optimizer;
import org.nnlab.tensor.SeededRandom;
import org.nnlab.tensor.Tensor;

/**
 * Trains a {@link Net} with an {@link Optimizer} on mini-batches.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(net, new Adadelta()).batchSize(20).l2Decay(0.001).build();
 * trainer.fit(trainSet, 1);
 * Evaluation result = trainer.evaluate(testSet);
 * }</pre>
 *
 * <p>The objective is the mean cross-entropy over the batch plus
 * {@code l1 * sum(m1 |w|) + l2/2 * sum(m2 w^2)} with each parameter's multipliers {@code m1, m2} (0 for
 * biases). ConvNetJS instead divides the decay gradient by the batch size; its {@code l2_decay} λ at
 * batch B equals nnlab's λ / B.
 *
 * <p>Reproducible: shuffling and augmentation draw from streams derived from {@link Builder#seed};
 * with the same net seed, data and settings, every step gives bitwise the same weights for any thread
 * count. Not thread-safe.
 */
public final class Trainer {
    /**
     * Default thread count: 2 (or fewer cores). On the 2-core reference machine the lab net trains at
     * 5 640 examples/s with 2 threads against 4 260 with 1 at batch 20 (docs/design-notes.md).
     */
    public static final int DEFAULT_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

    private final Net net;
    private final Optimizer optimizer;
    private final int batchSize;
    private final float l1Decay, l2Decay;
    private final List<TrainingListener> listeners;
    private final int evaluateEvery;
    private final Dataset evaluationSet;
    private final SeededRandom shuffleRandom, augmentRandom;
    private final Batch batch;
    private final String[] parameterOwners;
    private Batch evaluationBatch;
    private long steps;
    private int epoch;
    private long trainingNanos;
    private volatile boolean stopRequested;

    private Trainer(Builder b) {
        this.net = b.net;
        this.optimizer = b.optimizer;
        this.batchSize = b.batchSize;
        this.l1Decay = (float) b.l1Decay;
        this.l2Decay = (float) b.l2Decay;
        this.listeners = List.copyOf(b.listeners);
        this.evaluateEvery = b.evaluateEvery;
        this.evaluationSet = b.evaluationSet;
        this.shuffleRandom = SeededRandom.forPurpose(b.seed, "shuffle");
        this.augmentRandom = SeededRandom.forPurpose(b.seed, "augment");
        this.batch = new Batch(net.inputShape(), batchSize);
        this.parameterOwners = new String[net.parameters().size()];
        int index = 0;
        for (int i = 0; i < net.layers().size(); i++) {
            Layer layer = net.layers().get(i);
            for (Parameter p : layer.parameters()) {
                parameterOwners[index++] = "layer " + (i + 1) + " (" + layer.type() + ") " + p.name();
            }
        }
        net.setThreads(b.threads);
    }

    public static Builder builder(Net net, Optimizer optimizer) {
        return new Builder(net, optimizer);
    }

    public Net net() {
        return net;
    }

    /** Steps done so far. */
    public long steps() {
        return steps;
    }

    /** Wall time spent in training steps (filling batches included), evaluations excluded. */
    public double trainingSeconds() {
        return trainingNanos / 1e9;
    }

    /** Epochs started so far. */
    public int epoch() {
        return epoch;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Ends {@link #fit} after the current step; safe to call from a listener or another thread. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Trains for {@code epochs} passes over {@code data}, shuffled each epoch; the last batch of an
     * epoch may be smaller. Returns early if a listener calls {@link #stop()}.
     */
    public void fit(Dataset data, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        run(data, steps + (long) epochs * stepsPerEpoch(data));
    }

    /** Trains until {@code totalSteps} steps have been done in all, crossing epochs as needed. */
    public void fitSteps(Dataset data, long totalSteps) {
        run(data, totalSteps);
    }

    private long stepsPerEpoch(Dataset data) {
        return (data.size() + batchSize - 1) / batchSize;
    }

    private void run(Dataset data, long totalSteps) {
        checkDataset(data);
        stopRequested = false;
        int[] order = new int[data.size()];
        while (steps < totalSteps && !stopRequested) {
            epoch++;
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) { // Fisher-Yates
                int j = shuffleRandom.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double lossSum = 0;
            int epochSteps = 0;
            long trainNanos = 0;
            for (int start = 0; start < order.length && steps < totalSteps && !stopRequested; start += batchSize) {
                long t0 = System.nanoTime();
                int count = Math.min(batchSize, order.length - start);
                batch.fill(data, order, start, count, augmentRandom);
                StepStats stats = step(batch);
                long took = System.nanoTime() - t0;
                trainNanos += took;
                trainingNanos += took;
                lossSum += stats.loss();
                epochSteps++;
                if (evaluationSet != null && steps % evaluateEvery == 0) {
                    Evaluation e = evaluate(evaluationSet);
                    for (TrainingListener l : listeners) {
                        l.onEvaluation(this, e);
                    }
                }
            }
            boolean complete = epochSteps == stepsPerEpoch(data);
            if (complete) {
                EpochStats stats = new EpochStats(epoch, steps, lossSum / epochSteps, trainNanos / 1e9);
                for (TrainingListener l : listeners) {
                    l.onEpoch(this, stats);
                }
            } else {
                epoch--; // an epoch cut short (steps reached, or stop()) does not count as done
            }
        }
    }

    /** One update on a filled batch; reports to listeners. */
    public StepStats step(Batch batch) {
        if (!batch.shape().equals(net.inputShape())) {
            throw new ShapeException("batch: expected examples of " + net.inputShape() + ", got " + batch.shape());
        }
        long t0 = System.nanoTime();
        net.forward(batch.inputs(), batch.size(), true);
        long t1 = System.nanoTime();
        net.zeroGradients();
        double loss = net.backward(batch.labels(), null);
        long t2 = System.nanoTime();
        if (!Double.isFinite(loss)) {
            throw new NonFiniteException("step " + (steps + 1) + ": loss is " + loss
                    + "; parameters were not updated (check the inputs for NaN and the learning rate)");
        }
        double decayLoss = applyDecayAndCheck();
        optimizer.update(net.parameters());
        long t3 = System.nanoTime();
        steps++;
        StepStats stats = new StepStats(steps, Math.max(epoch, 1), batch.size(), loss, decayLoss,
                batch.size() * 1e9 / Math.max(1, t3 - t0), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        for (TrainingListener l : listeners) {
            l.onStep(this, stats);
        }
        return stats;
    }

    private double applyDecayAndCheck() {
        double decayLoss = 0;
        List<Parameter> params = net.parameters();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            float[] w = p.value(), g = p.grad();
            float l1 = l1Decay * p.l1Multiplier(), l2 = l2Decay * p.l2Multiplier();
            float check = 0f;
            if (l1 != 0f || l2 != 0f) {
                double sum1 = 0, sum2 = 0;
                for (int j = 0; j < w.length; j++) {
                    g[j] += l2 * w[j] + l1 * Math.signum(w[j]);
                    sum1 += Math.abs(w[j]);
                    sum2 += w[j] * w[j];
                    check += g[j] * 0f;
                }
                decayLoss += l1 * sum1 + 0.5 * l2 * sum2;
            } else {
                for (int j = 0; j < w.length; j++) {
                    check += g[j] * 0f;
                }
            }
            if (check != 0f || Float.isNaN(check)) { // g * 0 is 0 unless g is NaN or infinite
                throw new NonFiniteException("step " + (steps + 1) + ": the gradient of " + parameterOwners[i]
                        + " is not finite; parameters were not updated");
            }
        }
        return decayLoss;
    }

    /** Accuracy, loss and confusion matrix of the net on {@code data}'s deterministic view. */
    public Evaluation evaluate(Dataset data) {
        checkDataset(data);
        int classes = net.outputShape().size();
        if (evaluationBatch == null) {
            evaluationBatch = new Batch(net.inputShape(), 256);
        }
        int[] order = new int[Math.min(256, data.size())];
        int[][] confusion = new int[classes][classes];
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.size(); start += 256) {
            int count = Math.min(256, data.size() - start);
            for (int i = 0; i < count; i++) {
                order[i] = start + i;
            }
            evaluationBatch.fill(data, order, 0, count, null);
            float[] probs = net.forward(evaluationBatch.inputs(), count, false);
            for (int n = 0; n < count; n++) {
                int label = evaluationBatch.labels()[n];
                int best = Tensor.argmax(probs, n * classes, classes);
                confusion[label][best]++;
                if (best == label) {
                    correct++;
                }
                lossSum -= Math.log(Math.max(probs[n * classes + label], 1e-30));
            }
        }
        return new Evaluation(steps, data.size(), (double) correct / data.size(), lossSum / data.size(), confusion);
    }

    private void checkDataset(Dataset data) {
        if (!data.shape().equals(net.inputShape())) {
            throw new ShapeException("dataset examples are " + data.shape() + " but the net takes "
                    + net.inputShape());
        }
        if (data.numClasses() > net.outputShape().size()) {
            throw new ShapeException("dataset has " + data.numClasses() + " classes but the net outputs "
                    + net.outputShape().size());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("dataset is empty");
        }
    }

    /** Settings of a {@link Trainer}; the net and optimizer are required, the rest optional. */
    public static final class Builder {
        private final Net net;
        private final Optimizer optimizer;
        private int batchSize = 20;
        private double l1Decay, l2Decay;
        private int threads = DEFAULT_THREADS;
        private long seed = 1;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private int evaluateEvery;
        private Dataset evaluationSet;

        private Builder(Net net, Optimizer optimizer) {
            if (net == null || optimizer == null) {
                throw new IllegalArgumentException("a Trainer needs a net and an optimizer");
            }
            this.net = net;
            this.optimizer = optimizer;
        }

        /** Examples per step (default 20, the lab's). */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        public Builder l1Decay(double l1) {
            this.l1Decay = nonNegative(l1, "L1 decay");
            return this;
        }

        public Builder l2Decay(double l2) {
            this.l2Decay = nonNegative(l2, "L2 decay");
            return this;
        }

        /** Threads used inside each step (default {@link #DEFAULT_THREADS}); results do not depend on it. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Seed for shuffling and augmentation (default 1); the net has its own seed for weights. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /** Evaluates on {@code data} every {@code steps} steps and reports to the listeners. */
        public Builder evaluateEvery(int steps, Dataset data) {
            if (steps < 1) {
                throw new IllegalArgumentException("evaluation interval must be >= 1 step, got " + steps);
            }
            this.evaluateEvery = steps;
            this.evaluationSet = data;
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }

        private static double nonNegative(double v, String what) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " must be finite and >= 0, got " + v);
            }
            return v;
        }
    }
}
