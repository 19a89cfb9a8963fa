package org.nnlab.train;

import java.util.List;
import org.nnlab.layer.Parameter;

/**
 * Polyak averaging: keeps the running mean of every parameter over the steps from {@code firstStep}
 * on, and can put that mean into the net. The mean of the last few thousand steps usually generalises
 * a little better than the last step's weights, which jitter with every mini-batch. Element-wise and on
 * the training thread, so as deterministic as training itself.
 */
public final class WeightAveraging implements TrainingListener, Checkpointable {
    private long firstStep;
    private float[][] mean;
    private long count;
    private long restoredCount = -1;

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
        if (count == restoredCount) {
            checkShapes(params);
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

    @Override
    public long[] saveCounters() {
        return new long[] {firstStep, count};
    }

    @Override
    public float[][] saveArrays() {
        return mean == null ? new float[0][] : mean;
    }

    /**
     * Takes back the mean. A checkpoint of a run with another first step (a resumed run given a new
     * total length) cannot be continued exactly: its mean is dropped and averaging starts afresh at
     * {@code max(firstStep, step + 1)}.
     */
    @Override
    public void restore(long step, long[] counters, float[][] arrays) {
        if (counters.length != 2 || (counters[1] > 0) != (arrays.length > 0)) {
            throw new IllegalArgumentException("not a WeightAveraging state: " + counters.length + " counters, "
                    + arrays.length + " arrays");
        }
        if (counters[0] != firstStep) {
            mean = null;
            count = 0;
            firstStep = Math.max(firstStep, step + 1);
            return;
        }
        count = counters[1];
        mean = count > 0 ? arrays : null;
        restoredCount = count;
    }

    private void checkShapes(List<Parameter> params) {
        boolean ok = mean.length == params.size();
        for (int i = 0; ok && i < mean.length; i++) {
            ok = mean[i].length == params.get(i).size();
        }
        if (!ok) {
            throw new IllegalStateException("the restored weight average does not match the net's parameters");
        }
    }

    /** @return the first step whose weights enter the mean */
    public long firstStep() {
        return firstStep;
    }

    /** @return the number of steps averaged so far */
    public long count() {
        return count;
    }

    /**
     * Copies the mean into {@code parameters} (the net's, in order).
     *
     * @param parameters the net's parameters, in order; their values are overwritten
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
