package org.nnlab.examples;

import java.util.ArrayList;
import java.util.List;
import org.nnlab.train.Checkpointable;
import org.nnlab.train.Evaluation;
import org.nnlab.train.StepStats;
import org.nnlab.train.Trainer;
import org.nnlab.train.TrainingListener;

/**
 * Keeps the run's curves: every step's loss (and its running average) and every evaluation. Saved in
 * checkpoints, so a resumed run's report shows the whole run.
 */
final class RunRecorder implements TrainingListener, Checkpointable {
    /** Weight of the newest loss in the smoothed curve (an exponential moving average over ~100 steps). */
    static final double SMOOTHING = 0.01;

    /** The next value of the smoothed loss curve (NaN before the first step). */
    static double smooth(double smoothed, double loss) {
        return Double.isNaN(smoothed) ? loss : (1 - SMOOTHING) * smoothed + SMOOTHING * loss;
    }

    final List<double[]> losses = new ArrayList<>(); // step, loss, smoothed
    final List<Evaluation> evaluations = new ArrayList<>();
    private double smoothed = Double.NaN;

    @Override
    public void onStep(Trainer trainer, StepStats stats) {
        smoothed = smooth(smoothed, stats.loss());
        // kept at float precision, as checkpoints store them, so a resumed run's curves are the same
        losses.add(new double[] {stats.step(), (float) stats.loss(), (float) smoothed});
    }

    @Override
    public void onEvaluation(Trainer trainer, Evaluation evaluation) {
        evaluations.add(evaluation);
    }

    @Override
    public long[] saveCounters() {
        return new long[] {Double.doubleToRawLongBits(smoothed)};
    }

    @Override
    public float[][] saveArrays() {
        float[] l = new float[losses.size() * 3];
        for (int i = 0; i < losses.size(); i++) {
            for (int k = 0; k < 3; k++) {
                l[i * 3 + k] = (float) losses.get(i)[k];
            }
        }
        int classes = evaluations.isEmpty() ? 0 : evaluations.get(0).confusion().length;
        int per = 4 + classes * classes;
        float[] e = new float[1 + evaluations.size() * per];
        e[0] = classes;
        for (int i = 0; i < evaluations.size(); i++) {
            Evaluation ev = evaluations.get(i);
            int o = 1 + i * per;
            e[o] = ev.step();
            e[o + 1] = ev.examples();
            e[o + 2] = (float) ev.accuracy();
            e[o + 3] = (float) ev.loss();
            for (int a = 0; a < classes; a++) {
                for (int b = 0; b < classes; b++) {
                    e[o + 4 + a * classes + b] = ev.confusion()[a][b];
                }
            }
        }
        return new float[][] {l, e};
    }

    @Override
    public void restore(long step, long[] counters, float[][] arrays) {
        int classes = arrays.length == 2 && arrays[1].length > 0 ? (int) arrays[1][0] : -1;
        if (counters.length != 1 || classes < 0 || classes > 1000) {
            throw new IllegalArgumentException("not a lab run record");
        }
        int per = 4 + classes * classes;
        if (arrays[0].length % 3 != 0 || (arrays[1].length - 1) % per != 0) {
            throw new IllegalArgumentException("not a lab run record");
        }
        smoothed = Double.longBitsToDouble(counters[0]);
        losses.clear();
        for (int i = 0; i < arrays[0].length; i += 3) {
            losses.add(new double[] {arrays[0][i], arrays[0][i + 1], arrays[0][i + 2]});
        }
        evaluations.clear();
        for (int o = 1; o < arrays[1].length; o += per) {
            int[][] confusion = new int[classes][classes];
            for (int a = 0; a < classes; a++) {
                for (int b = 0; b < classes; b++) {
                    confusion[a][b] = (int) arrays[1][o + 4 + a * classes + b];
                }
            }
            evaluations.add(new Evaluation((long) arrays[1][o], (int) arrays[1][o + 1], arrays[1][o + 2],
                    arrays[1][o + 3], confusion));
        }
    }

    double smoothedLoss() {
        return smoothed;
    }
}
