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

    public Pass(Workers workers) {
        this.workers = workers;
    }

    /** Sets the batch size and mode for the next pass, returning this. */
    public Pass set(int batch, boolean training) {
        this.batch = batch;
        this.training = training;
        return this;
    }

    public int batch() {
        return batch;
    }

    public boolean training() {
        return training;
    }

    public Workers workers() {
        return workers;
    }
}
