package org.nnlab.train;

/** What the {@link Trainer} does when a batch yields a NaN or infinite loss or gradient. */
public enum NonFinitePolicy {
    /** Throw {@link NonFiniteException} naming the step and the layer; parameters stay as they were. */
    STOP,
    /** Leave the parameters as they were and go on with the next batch. */
    SKIP_BATCH
}
