package org.nnlab.train;

/**
 * A {@link TrainingListener} whose state must survive a checkpoint for a resumed run to equal an
 * uninterrupted one, such as {@link WeightAveraging}'s running mean. {@link Checkpoint} saves the state
 * of every such listener of the trainer, in order, and gives it back on restore.
 */
public interface Checkpointable {
    /** @return the counters to save (any number, fixed for a given listener) */
    long[] saveCounters();

    /** @return the arrays to save; may be live, they are only read */
    float[][] saveArrays();

    /**
     * Takes back what {@link #saveCounters()} and {@link #saveArrays()} gave, at the checkpoint's
     * {@code step}.
     *
     * @param step the trainer's step count at the checkpoint
     * @param counters what {@link #saveCounters()} returned
     * @param arrays what {@link #saveArrays()} returned
     * @throws IllegalArgumentException if the state does not fit this listener
     */
    void restore(long step, long[] counters, float[][] arrays);
}
