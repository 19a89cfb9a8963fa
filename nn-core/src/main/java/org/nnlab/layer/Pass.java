package org.nnlab.layer;

import org.nnlab.tensor.Workers;

/**
 * What one forward or backward pass is about: how many examples are in the batch, whether this is
 * training (dropout active) or inference, and the workers that may split the work.
 *
 * <p>The net reuses one instance for every pass, so passes allocate nothing.
 */
public final class Pass {
    private final Workers workers;
    private int batch;
    private boolean training;

    /** @param workers the threads that may split each pass; shared by every pass of one net */
    public Pass(Workers workers) {
        this.workers = workers;
    }

    /**
     * Sets the batch size and mode for the next pass.
     *
     * @param batch number of examples
     * @param training true while training (dropout active), false for inference
     * @return this
     */
    public Pass set(int batch, boolean training) {
        this.batch = batch;
        this.training = training;
        return this;
    }

    /** @return the number of examples in this pass */
    public int batch() {
        return batch;
    }

    /** @return true while training (dropout active), false for inference */
    public boolean training() {
        return training;
    }

    /** @return the threads that may split this pass */
    public Workers workers() {
        return workers;
    }
}
