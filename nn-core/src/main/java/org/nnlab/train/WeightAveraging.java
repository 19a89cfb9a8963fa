package org.nnlab.train;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Polyak averaging: keeps the running mean of every parameter over the steps from {@code firstStep}
 * on, and can put that mean into the net. The mean of the last few thousand steps usually generalises
 * a little better than the last step's weights, which jitter with every mini-batch. Element-wise and on
 * the training thread, so as deterministic as training itself.
 */
public final class WeightAveraging implements TrainingListener {
    private final long firstStep;
    private float[][] mean;
    private long count;

    /** @param firstStep the first step (1-based) whose weights enter the mean */
    public WeightAveraging(long firstStep) {
        if (firstStep < 1) {
            throw new IllegalArgumentException("firstStep must be >= 1, got " + firstStep);
        }
        this.firstStep = firstStep;
    }

    @Override
    public void onStep(Trainer trainer, StepStats stats) {
        if (stats.step() < firstStep) {
            return;
        }
        List<Parameter> params = trainer.net().parameters();
        if (mean == null) {
            mean = new float[params.size()][];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = params.get(i).value().clone();
            }
            count = 1;
            return;
        }
        count++;
        float weight = 1f / count;
        for (int i = 0; i < mean.length; i++) {
            float[] m = mean[i], w = params.get(i).value();
            for (int j = 0; j < m.length; j++) {
                m[j] += (w[j] - m[j]) * weight;
            }
        }
    }

    /** Steps averaged so far. */
    public long count() {
        return count;
    }

    /**
     * Copies the mean into {@code parameters} (the net's, in order).
     *
     * @throws IllegalStateException if no step has been averaged yet
     */
    public void applyTo(List<Parameter> parameters) {
        if (mean == null) {
            throw new IllegalStateException("no step reached " + firstStep + " yet: nothing averaged");
        }
        for (int i = 0; i < mean.length; i++) {
            System.arraycopy(mean[i], 0, parameters.get(i).value(), 0, mean[i].length);
        }
    }
}
