package org.nnlab.train;

/**
 * A finished pass over the training set.
 *
 * @param epoch    which epoch (from 1)
 * @param steps    total steps so far
 * @param meanLoss mean of the step losses in this epoch
 * @param seconds  wall time of the epoch's training steps, evaluation excluded
 */
public record EpochStats(int epoch, long steps, double meanLoss, double seconds) {
}
