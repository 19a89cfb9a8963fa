package org.nnlab.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.nnlab.layer.Conv2d;
import org.nnlab.layer.Layer;
import org.nnlab.layer.Parameter;
import org.nnlab.mnist.MnistDataset;
import org.nnlab.net.Net;
import org.nnlab.tensor.Tensor;
import org.nnlab.train.EpochStats;
import org.nnlab.train.Evaluation;
import org.nnlab.train.StepStats;
import org.nnlab.train.Trainer;
import org.nnlab.train.TrainingListener;

/**
 * What the live page shows, kept as snapshots: the training thread only appends numbers and copies the
 * weights into a viewer net of its own; the HTTP threads read the snapshots and use that viewer net,
 * never the trainer's buffers. Pause and Reset are requests the training thread honours between steps.
 */
final class LiveView implements TrainingListener {
    private static final int SNAPSHOT_EVERY = 50; // steps between weight copies for drawing and activations
    static final int MAX_SNAPSHOT_POINTS = 5000;

    private final Object lock = new Object();
    private final ReentrantLock viewerLock = new ReentrantLock();
    private final Net viewer;
    private final float[][] sampleInputs;
    private final int[][] sampleImages;
    private final int[] sampleLabels;
    private final List<String> classNames;

    // guarded by lock
    private int generation;
    private final List<float[]> losses = new ArrayList<>(); // step, loss, smoothed
    private final List<double[]> evaluations = new ArrayList<>(); // step, accuracy, loss
    private int[] predictions;
    private int[][] confusion;
    private float[] filters;
    private int[] filterShape = new int[4];
    private long step, totalSteps;
    private int epoch;
    private double examplesPerSecond, smoothed = Double.NaN;
    private boolean paused, resetRequested, finished;
    private String finalSummary;
    private int version; // bumps with every change, for the broadcaster
    private int detailsVersion; // bumps when predictions, confusion or filters change
    private String cachedSnapshot;
    private int cachedSnapshotVersion = -1;

    LiveView(Supplier<Net> architecture, MnistDataset samples) {
        this.viewer = architecture.get();
        this.classNames = samples.classNames();
        int n = samples.size();
        this.sampleInputs = new float[n][samples.shape().size()];
        this.sampleImages = new int[n][];
        this.sampleLabels = new int[n];
        for (int i = 0; i < n; i++) {
            samples.copyExample(i, sampleInputs[i], 0, null);
            sampleImages[i] = samples.rawImage(i);
            sampleLabels[i] = samples.label(i);
        }
    }

    /** A new training run (first, or after Reset): clears the curves; viewers get a fresh snapshot. */
    void attach(Trainer trainer, long totalSteps) {
        synchronized (lock) {
            generation++;
            losses.clear();
            evaluations.clear();
            predictions = null;
            confusion = null;
            detailsVersion++;
            step = trainer.steps();
            epoch = 0;
            this.totalSteps = totalSteps;
            smoothed = Double.NaN;
            resetRequested = false;
            finished = false;
            finalSummary = null;
            version++;
        }
        copyWeights(trainer.net(), true);
        refreshPredictionsAndFilters(trainer.net());
    }

    @Override
    public void onStep(Trainer trainer, StepStats stats) {
        synchronized (lock) {
            smoothed = RunRecorder.smooth(smoothed, stats.loss());
            losses.add(new float[] {stats.step(), (float) stats.loss(), (float) smoothed});
            step = stats.step();
            epoch = stats.epoch();
            examplesPerSecond = stats.examplesPerSecond();
            version++;
            if (resetRequested) {
                trainer.stop();
                return;
            }
            while (paused && !resetRequested) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (resetRequested) {
                trainer.stop();
            }
        }
        if (stats.step() % SNAPSHOT_EVERY == 0) {
            copyWeights(trainer.net(), false);
        }
    }

    @Override
    public void onEvaluation(Trainer trainer, Evaluation e) {
        synchronized (lock) {
            evaluations.add(new double[] {e.step(), e.accuracy(), e.loss()});
            confusion = e.confusion();
            version++;
            detailsVersion++;
        }
        copyWeights(trainer.net(), true);
        refreshPredictionsAndFilters(trainer.net());
    }

    @Override
    public void onEpoch(Trainer trainer, EpochStats stats) {
        refreshPredictionsAndFilters(trainer.net());
    }

    /** On the training thread: the sample grid's predictions and the first layer's filters. */
    private void refreshPredictionsAndFilters(Net net) {
        int[] p = new int[sampleInputs.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = net.predict(sampleInputs[i]);
        }
        float[] f = null;
        int[] shape = null;
        for (Layer layer : net.layers()) {
            if (layer instanceof Conv2d c) {
                f = c.parameters().get(0).value().clone();
                shape = new int[] {c.filters(), c.inputShape().channels(), c.kernel(), c.kernel()};
                break;
            }
        }
        synchronized (lock) {
            predictions = p;
            if (f != null) {
                filters = f;
                filterShape = shape;
            }
            version++;
            detailsVersion++;
        }
    }

    /** Copies the weights into the viewer net; skipped (until next time) if a page request holds it. */
    private void copyWeights(Net net, boolean wait) {
        if (wait) {
            viewerLock.lock();
        } else if (!viewerLock.tryLock()) {
            return;
        }
        try {
            for (int i = 0; i < net.parameters().size(); i++) {
                Parameter from = net.parameters().get(i);
                System.arraycopy(from.value(), 0, viewer.parameters().get(i).value(), 0, from.size());
            }
        } finally {
            viewerLock.unlock();
        }
    }

    /** Training is over: the page keeps the final numbers and drawing keeps working. */
    void finish(String summaryJson) {
        synchronized (lock) {
            finished = true;
            paused = false;
            finalSummary = summaryJson;
            version++;
            lock.notifyAll();
        }
    }

    void setPaused(boolean pause) {
        synchronized (lock) {
            if (!finished) {
                paused = pause;
            }
            version++;
            lock.notifyAll();
        }
    }

    void requestReset() {
        synchronized (lock) {
            if (!finished) {
                resetRequested = true;
                paused = false;
            }
            version++;
            lock.notifyAll();
        }
    }

    /** True once if Reset was pressed since the last call. */
    boolean takeReset() {
        synchronized (lock) {
            boolean r = resetRequested;
            resetRequested = false;
            return r;
        }
    }

    String state() {
        synchronized (lock) {
            return finished ? "finished" : resetRequested ? "resetting" : paused ? "paused" : "running";
        }
    }

    /** Runs {@code r} with the state locked, so several reads see one moment. */
    void atomically(Runnable r) {
        synchronized (lock) {
            r.run();
        }
    }

    int version() {
        synchronized (lock) {
            return version;
        }
    }

    int generation() {
        synchronized (lock) {
            return generation;
        }
    }

    /** Class probabilities of a drawn digit (784 values in [0, 1]) and the normalised image the net saw. */
    String predictDrawing(float[] ink) {
        float[] image = DrawnDigit.normalise(ink);
        Tensor probabilities;
        viewerLock.lock();
        try {
            probabilities = viewer.predictProbabilities(new Tensor(viewer.inputShape(), 1, DrawnDigit.netInput(image)));
        } finally {
            viewerLock.unlock();
        }
        float[] p = probabilities.data();
        StringBuilder sb = new StringBuilder("{\"digit\":").append(Tensor.argmax(p, 0, p.length));
        sb.append(",\"probabilities\":");
        floats(sb, p, 0, p.length);
        sb.append(",\"image\":");
        floats(sb, image, 0, image.length);
        return sb.append('}').toString();
    }

    /** Every layer's output for sample {@code index} (in the viewer net), channel by channel. */
    String activations(int index) {
        List<Tensor> outputs;
        List<Layer> layers = viewer.layers();
        viewerLock.lock();
        try {
            outputs = viewer.activations(sampleInputs[index]);
        } finally {
            viewerLock.unlock();
        }
        StringBuilder sb = new StringBuilder("{\"sample\":").append(index).append(",\"input\":");
        floats(sb, sampleInputs[index], 0, sampleInputs[index].length);
        sb.append(",\"inputShape\":[24,24,1],\"layers\":[");
        for (int i = 0; i < outputs.size(); i++) {
            Tensor t = outputs.get(i);
            sb.append(i > 0 ? "," : "").append("{\"type\":").append(Json.quote(layers.get(i).type()))
                    .append(",\"shape\":[").append(t.shape().height()).append(',').append(t.shape().width())
                    .append(',').append(t.shape().channels()).append("],\"data\":");
            floats(sb, t.data(), 0, t.data().length);
            sb.append('}');
        }
        return sb.append("]}").toString();
    }

    int sampleCount() {
        return sampleInputs.length;
    }

    /**
     * Everything, for a viewer that just connected (curves thinned to at most 5 000 points); built once
     * per state, however many viewers connect.
     */
    String snapshot() {
        synchronized (lock) {
            if (cachedSnapshotVersion == version) {
                return cachedSnapshot;
            }
            StringBuilder sb = new StringBuilder("{");
            status(sb);
            int stride = Math.max(1, (losses.size() + MAX_SNAPSHOT_POINTS - 1) / MAX_SNAPSHOT_POINTS);
            sb.append(",\"losses\":[");
            boolean first = true;
            for (int i = 0; i < losses.size(); i++) {
                if (i % stride == 0 || i == losses.size() - 1) {
                    sb.append(first ? "" : ",");
                    lossPoint(sb, losses.get(i));
                    first = false;
                }
            }
            sb.append("],\"evaluations\":");
            evaluationsFrom(sb, 0);
            sb.append(",\"classNames\":[");
            for (int i = 0; i < classNames.size(); i++) {
                sb.append(i > 0 ? "," : "").append(Json.quote(classNames.get(i)));
            }
            sb.append("],\"samples\":{\"labels\":");
            ints(sb, sampleLabels);
            sb.append(",\"images\":[");
            for (int i = 0; i < sampleImages.length; i++) {
                sb.append(i > 0 ? "," : "");
                ints(sb, sampleImages[i]);
            }
            sb.append("]}");
            details(sb);
            cachedSnapshot = sb.append('}').toString();
            cachedSnapshotVersion = version;
            return cachedSnapshot;
        }
    }

    /**
     * What changed since a viewer's last update ({@code seen}: loss points, evaluations, details
     * version), which it then advances: new loss points and evaluations, and the details if they changed.
     */
    String update(int[] seen) {
        int lossesSeen = seen[0], evaluationsSeen = seen[1];
        synchronized (lock) {
            StringBuilder sb = new StringBuilder("{");
            status(sb);
            sb.append(",\"losses\":[");
            for (int i = Math.min(lossesSeen, losses.size()); i < losses.size(); i++) {
                sb.append(i > lossesSeen ? "," : "");
                lossPoint(sb, losses.get(i));
            }
            sb.append("],\"evaluations\":");
            evaluationsFrom(sb, evaluationsSeen);
            if (seen[2] != detailsVersion) {
                details(sb);
            }
            seen[0] = losses.size();
            seen[1] = evaluations.size();
            seen[2] = detailsVersion;
            return sb.append('}').toString();
        }
    }

    /** What a viewer has seen after a {@link #snapshot()} (taken under the same lock: call both in order). */
    int[] counts() {
        synchronized (lock) {
            return new int[] {losses.size(), evaluations.size(), detailsVersion};
        }
    }

    private void status(StringBuilder sb) {
        sb.append("\"generation\":").append(generation).append(",\"status\":{\"state\":\"")
                .append(finished ? "finished" : resetRequested ? "resetting" : paused ? "paused" : "running")
                .append("\",\"step\":").append(step).append(",\"epoch\":").append(epoch)
                .append(",\"totalSteps\":").append(totalSteps).append(",\"examplesPerSecond\":")
                .append(String.format(Locale.ROOT, "%.0f", examplesPerSecond)).append('}');
        if (finalSummary != null) {
            sb.append(",\"final\":").append(finalSummary);
        }
    }

    private void details(StringBuilder sb) {
        if (predictions != null) {
            sb.append(",\"predictions\":");
            ints(sb, predictions);
        }
        if (confusion != null) {
            sb.append(",\"confusion\":[");
            for (int i = 0; i < confusion.length; i++) {
                sb.append(i > 0 ? "," : "");
                ints(sb, confusion[i]);
            }
            sb.append(']');
        }
        if (filters != null) {
            sb.append(",\"filters\":{\"shape\":");
            ints(sb, filterShape);
            sb.append(",\"data\":");
            floats(sb, filters, 0, filters.length);
            sb.append('}');
        }
    }

    private void evaluationsFrom(StringBuilder sb, int from) {
        sb.append('[');
        for (int i = from; i < evaluations.size(); i++) {
            double[] e = evaluations.get(i);
            sb.append(i > from ? "," : "").append('[').append((long) e[0]).append(',')
                    .append(String.format(Locale.ROOT, "%.5f", e[1])).append(',')
                    .append(String.format(Locale.ROOT, "%.5f", e[2])).append(']');
        }
        sb.append(']');
    }

    private static void lossPoint(StringBuilder sb, float[] p) {
        sb.append('[').append((long) p[0]).append(',').append(finite(p[1])).append(',').append(finite(p[2]))
                .append(']');
    }

    private static String finite(float v) {
        return Float.isFinite(v) ? Float.toString(v) : "null";
    }

    static void floats(StringBuilder sb, float[] a, int from, int to) {
        sb.append('[');
        for (int i = from; i < to; i++) {
            sb.append(i > from ? "," : "").append(finite(a[i]));
        }
        sb.append(']');
    }

    static void ints(StringBuilder sb, int[] a) {
        sb.append('[');
        for (int i = 0; i < a.length; i++) {
            sb.append(i > 0 ? "," : "").append(a[i]);
        }
        sb.append(']');
    }
}
