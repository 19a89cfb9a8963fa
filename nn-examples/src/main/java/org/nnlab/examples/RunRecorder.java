package org.nnlab.examples;

import java.util.ArrayList;
import java.util.List;
import org.nnlab.train.Evaluation;
import org.nnlab.train.StepStats;
import org.nnlab.train.Trainer;
import org.nnlab.train.TrainingListener;

/** Keeps the run's curves: every step's loss (and its running average) and every evaluation. */
final class RunRecorder implements TrainingListener {
    /** Weight of the newest loss in the smoothed curve (an exponential moving average over ~100 steps). */
    static final double SMOOTHING = 0.01;

    final List<double[]> losses = new ArrayList<>(); // step, loss, smoothed
    final List<Evaluation> evaluations = new ArrayList<>();
    private double smoothed = Double.NaN;

    @Override
    public void onStep(Trainer trainer, StepStats stats) {
        smoothed = Double.isNaN(smoothed) ? stats.loss() : (1 - SMOOTHING) * smoothed + SMOOTHING * stats.loss();
        losses.add(new double[] {stats.step(), stats.loss(), smoothed});
    }

    @Override
    public void onEvaluation(Trainer trainer, Evaluation evaluation) {
        evaluations.add(evaluation);
    }

    double smoothedLoss() {
        return smoothed;
    }
}
