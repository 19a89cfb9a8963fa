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
    private final long seed;
    private final NonFinitePolicy nonFinitePolicy;
    private Batch evaluationBatch;
    private long steps, skippedSteps;
    private int epoch;
    private long trainingNanos, lastStepNanos;
    private volatile boolean stopRequested;

    // Where in the epoch training stands, so fit can stop and go on (or resume from a checkpoint) exactly.
    private int[] order;
    private int restoredDatasetSize;
    private boolean epochInProgress, orderStale;
    private int position;
    private long epochShuffleState;
    private double epochLossSum;
    private int epochSteps;
    private long epochNanos;

    private Trainer(Builder b) {
        this.net = b.net;
        this.optimizer = b.optimizer;
        this.batchSize = b.batchSize;
        this.l1Decay = (float) b.l1Decay;
        this.l2Decay = (float) b.l2Decay;
        // checkpoints last, so they capture what every other listener made of the step
        List<TrainingListener> ordered = new ArrayList<>(b.listeners);
        ordered.sort(java.util.Comparator.comparing(l -> l instanceof Checkpointer));
        this.listeners = List.copyOf(ordered);
        this.evaluateEvery = b.evaluateEvery;
        this.evaluationSet = b.evaluationSet;
        this.seed = b.seed;
        this.nonFinitePolicy = b.nonFinitePolicy;
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

    /**
     * @param net the net to train; its threads are set from the builder
     * @param optimizer the update rule
     * @return a builder with the lab's defaults
     */
    public static Builder builder(Net net, Optimizer optimizer) {
        return new Builder(net, optimizer);
    }

    /** @return the net being trained */
    public Net net() {
        return net;
    }

    /** @return the steps done so far (skipped batches not counted) */
    public long steps() {
        return steps;
    }

    /**
     * Wall time spent in training steps (filling batches included); evaluations and listeners (progress
     * bars, live views, checkpoints, pauses) excluded.
     *
     * @return seconds of training so far
     */
    public double trainingSeconds() {
        return trainingNanos / 1e9;
    }

    Optimizer optimizer() {
        return optimizer;
    }

    List<TrainingListener> listeners() {
        return listeners;
    }

    long seed() {
        return seed;
    }

    float l1Decay() {
        return l1Decay;
    }

    float l2Decay() {
        return l2Decay;
    }

    /** Everything that says where training stands, as saved in a checkpoint. */
    record Position(long steps, long skippedSteps, int epoch, boolean epochInProgress, int epochPosition,
                    int datasetSize, long epochShuffleState, long shuffleState, long augmentState,
                    double epochLossSum, int epochSteps, long epochNanos, long trainingNanos) {
    }

    Position position() {
        return new Position(steps, skippedSteps, epoch, epochInProgress, position,
                order != null ? order.length : orderStale ? restoredDatasetSize : 0,
                epochShuffleState, shuffleRandom.state(), augmentRandom.state(), epochLossSum, epochSteps,
                epochNanos, trainingNanos);
    }

    void restore(Position p) {
        steps = p.steps();
        skippedSteps = p.skippedSteps();
        epoch = p.epoch();
        epochInProgress = p.epochInProgress();
        position = p.epochPosition();
        order = null; // made in run, once the dataset is known to have the saved size (not trusted here)
        restoredDatasetSize = p.datasetSize();
        orderStale = p.epochInProgress();
        epochShuffleState = p.epochShuffleState();
        shuffleRandom.setState(p.shuffleState());
        augmentRandom.setState(p.augmentState());
        epochLossSum = p.epochLossSum();
        epochSteps = p.epochSteps();
        epochNanos = p.epochNanos();
        trainingNanos = p.trainingNanos();
    }

    /** @return the batches skipped for a non-finite loss or gradient under {@link NonFinitePolicy#SKIP_BATCH} */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** @return the epoch in progress, or the last one finished (1-based; 0 before training) */
    public int epoch() {
        return epoch;
    }

    /** @return examples per step */
    public int batchSize() {
        return batchSize;
    }

    /** Ends {@link #fit} after the current step; safe to call from a listener or another thread. */
    public void stop() {
        stopRequested = true;
    }

    /**
     * Trains for {@code epochs} more passes over {@code data}, shuffled each epoch; the last batch of an
     * epoch may be smaller. Returns early if a listener calls {@link #stop()}; the next call goes on
     * where it stopped, in the same epoch order.
     *
     * @param data the training set, with its augmentation
     * @param epochs passes to make, at least 0
     * @throws IllegalArgumentException if {@code epochs < 0} or the data is empty
     * @throws ShapeException if the data's shape or class count does not fit the net
     * @throws NonFiniteException under {@link NonFinitePolicy#STOP}, if a step's loss or gradient is not finite
     */
    public void fit(Dataset data, int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
        }
        run(data, steps + (long) epochs * stepsPerEpoch(data));
    }

    /**
     * Trains until {@code totalSteps} steps have been done in all, crossing epochs as needed. Training
     * N steps, then on to N + M, gives bitwise the weights of training N + M at once.
     *
     * @param data the training set, with its augmentation
     * @param totalSteps the step count to reach
     * @throws IllegalArgumentException if the data is empty or differs in size from a restored position
     * @throws ShapeException if the data's shape or class count does not fit the net
     * @throws NonFiniteException under {@link NonFinitePolicy#STOP}, if a step's loss or gradient is not finite
     */
    public void fitSteps(Dataset data, long totalSteps) {
        run(data, totalSteps);
    }

    private long stepsPerEpoch(Dataset data) {
        return (data.size() + batchSize - 1) / batchSize;
    }

    private void run(Dataset data, long totalSteps) {
        checkDataset(data);
        stopRequested = false;
        if (epochInProgress && orderStale) {
            if (restoredDatasetSize != data.size()) {
                throw new IllegalArgumentException("the checkpoint was taken " + position + " examples into an epoch "
                        + "of a " + restoredDatasetSize + "-example dataset; this dataset has " + data.size());
            }
            order = new int[data.size()];
        } else if (epochInProgress && order.length != data.size()) {
            epochInProgress = false; // a different dataset: its epoch starts afresh
        }
        while (steps < totalSteps && !stopRequested) {
            if (!epochInProgress) {
                beginEpoch(data.size());
            } else if (orderStale) {
                shuffleRandom.setState(epochShuffleState);
                shuffle();
            }
            while (position < order.length && steps < totalSteps && !stopRequested) {
                long t0 = System.nanoTime();
                int count = Math.min(batchSize, order.length - position);
                batch.fill(data, order, position, count, augmentRandom);
                position += count;
                long filled = System.nanoTime();
                step(batch);
                long took = filled - t0 + lastStepNanos; // listeners (views, checkpoints, pauses) excluded
                epochNanos += took;
                trainingNanos += took;
                if (evaluationSet != null && steps % evaluateEvery == 0) {
                    Evaluation e = evaluate(evaluationSet);
                    for (TrainingListener l : listeners) {
                        l.onEvaluation(this, e);
                    }
                }
            }
            if (position == order.length) {
                epochInProgress = false;
                EpochStats stats = new EpochStats(epoch, steps, epochLossSum / Math.max(1, epochSteps), epochNanos / 1e9);
                for (TrainingListener l : listeners) {
                    l.onEpoch(this, stats);
                }
            }
        }
    }

    private void beginEpoch(int size) {
        epoch++;
        epochInProgress = true;
        if (order == null || order.length != size) {
            order = new int[size];
        }
        epochShuffleState = shuffleRandom.state();
        shuffle();
        position = 0;
        epochLossSum = 0;
        epochSteps = 0;
        epochNanos = 0;
    }

    /** Fisher-Yates from the identity, so an epoch's order depends on the stream state alone. */
    private void shuffle() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = shuffleRandom.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        orderStale = false;
    }

    /**
     * One update on a filled batch; reports to listeners. If the loss or a gradient is not finite the
     * parameters are left untouched and, by the {@link NonFinitePolicy}, a {@link NonFiniteException}
     * names the step and the layer, or the batch is skipped (counted in {@link #skippedSteps()}, loss
     * NaN in the returned stats, listeners not called).
     *
     * @param batch a filled batch of the net's input shape
     * @return the step's loss, batch size and counters
     * @throws ShapeException if the batch's shape is not the net's input shape
     * @throws NonFiniteException under {@link NonFinitePolicy#STOP}, if the loss or a gradient is not finite
     */
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
        String problem = null;
        if (!Double.isFinite(loss)) {
            String where = net.locateNonFinite();
            problem = "step " + (steps + 1) + ": loss is " + loss + (where != null ? ", first non-finite value in "
                    + where : "") + "; parameters were not updated (check the inputs for NaN and the learning rate)";
        }
        double decayLoss = problem == null ? applyDecay() : 0;
        if (problem == null) {
            problem = checkGradients();
        }
        if (problem != null) {
            if (nonFinitePolicy == NonFinitePolicy.STOP) {
                throw new NonFiniteException(problem);
            }
            lastStepNanos = System.nanoTime() - t0;
            steps++;
            skippedSteps++;
            return new StepStats(steps, Math.max(epoch, 1), batch.size(), Double.NaN, 0, 0, (t1 - t0) / 1e6,
                    (t2 - t1) / 1e6);
        }
        optimizer.update(net.parameters());
        long t3 = System.nanoTime();
        lastStepNanos = t3 - t0;
        steps++;
        epochLossSum += loss;
        epochSteps++;
        StepStats stats = new StepStats(steps, Math.max(epoch, 1), batch.size(), loss, decayLoss,
                batch.size() * 1e9 / Math.max(1, t3 - t0), (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        for (TrainingListener l : listeners) {
            l.onStep(this, stats);
        }
        return stats;
    }

    private double applyDecay() {
        double decayLoss = 0;
        List<Parameter> params = net.parameters();
        for (Parameter p : params) {
            float[] w = p.value(), g = p.grad();
            float l1 = l1Decay * p.l1Multiplier(), l2 = l2Decay * p.l2Multiplier();
            if (l1 == 0f && l2 == 0f) {
                continue;
            }
            if (l1 == 0f) {
                // the same values as below (l1 * signum is a zero of w's sign), in a loop C2 vectorises
                for (int j = 0; j < w.length; j++) {
                    g[j] += l2 * w[j];
                }
            } else {
                for (int j = 0; j < w.length; j++) {
                    g[j] += l2 * w[j] + l1 * Math.signum(w[j]);
                }
            }
            decayLoss += (l1 != 0f ? l1 * sumOfMagnitudes(w, 1) : 0) + 0.5 * l2 * sumOfMagnitudes(w, 2);
        }
        return decayLoss;
    }

    /**
     * {@code sum |w|^power} for power 1 or 2, in four interleaved partial sums: a single chain waits on
     * every addition (the decay took 10 µs per step for the lab's 6 000 parameters, 3 µs now).
     */
    private static double sumOfMagnitudes(float[] w, int power) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        for (; j + 3 < w.length; j += 4) {
            s0 += power == 1 ? Math.abs(w[j]) : w[j] * w[j];
            s1 += power == 1 ? Math.abs(w[j + 1]) : w[j + 1] * w[j + 1];
            s2 += power == 1 ? Math.abs(w[j + 2]) : w[j + 2] * w[j + 2];
            s3 += power == 1 ? Math.abs(w[j + 3]) : w[j + 3] * w[j + 3];
        }
        for (; j < w.length; j++) {
            s0 += power == 1 ? Math.abs(w[j]) : w[j] * w[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Null if every gradient is finite, else which parameter's is not. */
    private String checkGradients() {
        List<Parameter> params = net.parameters();
        for (int i = 0; i < params.size(); i++) {
            float[] g = params.get(i).grad();
            // the largest magnitude is finite unless some value is NaN or infinite (Math.max keeps a NaN);
            // a max needs no order, so C2 vectorises it fully, unlike isFinite or a sum (4x faster)
            float largest = 0f;
            for (int j = 0; j < g.length; j++) {
                largest = Math.max(largest, Math.abs(g[j]));
            }
            if (!(largest < Float.POSITIVE_INFINITY)) {
                return "step " + (steps + 1) + ": the gradient of " + parameterOwners[i]
                        + " is not finite; parameters were not updated";
            }
        }
        return null;
    }

    /**
     * Accuracy, loss and confusion matrix of the net on {@code data}'s deterministic view.
     *
     * @param data the examples to classify
     * @return the evaluation, at the current step
     * @throws ShapeException if the data's shape or class count does not fit the net
     * @throws IllegalArgumentException if the data is empty
     */
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
        private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.STOP;

        private Builder(Net net, Optimizer optimizer) {
            if (net == null || optimizer == null) {
                throw new IllegalArgumentException("a Trainer needs a net and an optimizer");
            }
            this.net = net;
            this.optimizer = optimizer;
        }

        /**
         * Examples per step (default 20, the lab's).
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * L1 weight decay: adds {@code l1 * sum |w|} (weights only) to the objective. Default 0.
         *
         * @param l1 finite, at least 0
         * @return this builder
         */
        public Builder l1Decay(double l1) {
            this.l1Decay = nonNegative(l1, "L1 decay");
            return this;
        }

        /**
         * L2 weight decay: adds {@code l2 / 2 * sum w^2} (weights only) to the objective. Default 0.
         *
         * @param l2 finite, at least 0
         * @return this builder
         */
        public Builder l2Decay(double l2) {
            this.l2Decay = nonNegative(l2, "L2 decay");
            return this;
        }

        /**
         * Threads used inside each step (default {@link #DEFAULT_THREADS}); results do not depend on it.
         *
         * @param threads at least 1
         * @return this builder
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /**
         * Seed for shuffling and augmentation (default 1); the net has its own seed for weights.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Adds a listener; listeners are called in the order added ({@link Checkpointer}s last).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(listener);
            return this;
        }

        /**
         * Evaluates on {@code data} every {@code steps} steps and reports to the listeners.
         *
         * @param steps at least 1
         * @param data the held-out examples
         * @return this builder
         */
        public Builder evaluateEvery(int steps, Dataset data) {
            if (steps < 1) {
                throw new IllegalArgumentException("evaluation interval must be >= 1 step, got " + steps);
            }
            this.evaluateEvery = steps;
            this.evaluationSet = data;
            return this;
        }

        /**
         * What to do when a batch gives a non-finite loss or gradient (default {@link NonFinitePolicy#STOP}).
         *
         * @param policy stop with an exception, or skip the batch
         * @return this builder
         */
        public Builder onNonFinite(NonFinitePolicy policy) {
            this.nonFinitePolicy = java.util.Objects.requireNonNull(policy);
            return this;
        }

        /** @return the trainer; sets the net's threads */
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
